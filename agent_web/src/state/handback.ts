// Going away while serving shoppers: what handing them back does, said truthfully. With a
// colleague of their team online they are offered to them at once; with nobody, they are told
// no one is available and their chat becomes a message left (it comes back to the agent live if
// they return while the shopper is still on the page).
import type { AgentList } from "../protocol.gen";

/** Whether someone else could take a chat of each of `teams` now; null: not known yet. */
export function colleagueAvailable(colleagues: AgentList | null, meId: string,
                                   teams: readonly string[]): boolean | null {
  if (colleagues === null) return null;
  const others = colleagues.agents.filter((a) => a.id !== meId && a.status === "online" && a.connected);
  return teams.every((team) => others.some((a) => a.teams.includes(team)));
}

export function handBackText(available: boolean | null): string {
  if (available === false) {
    return "Nobody else of their team is online: handed back, they are told nobody is available " +
      "and can leave a message (if you come back online while they are still on the page, they " +
      "come back to you). Or keep them to finish yourself: no new chats will be offered to you.";
  }
  return "Hand them back to the front of the queue for a colleague (they are told you are no " +
    "longer available), or keep them to finish yourself: no new chats will be offered to you.";
}
