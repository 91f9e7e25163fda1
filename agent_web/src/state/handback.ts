// Going away while serving shoppers: what handing them back does, said truthfully, chat by chat.
// A chat whose team has a colleague online goes to them; with nobody, its shopper is told no one
// is available and it becomes a message left, in the team's Offline inbox.
import type { AgentList } from "../protocol.gen";

export interface Served {
  name: string;
  team: string;
}

export interface HandBack {
  /** Shoppers a colleague of their team could take now. */
  toColleague: string[];
  /** Shoppers who would be told nobody is available. */
  toMessage: string[];
}

/** Who goes where if handed back; null while the colleagues are not known yet. */
export function handBackPlan(colleagues: AgentList | null, meId: string,
                             serving: readonly Served[]): HandBack | null {
  if (colleagues === null) return null;
  const others = colleagues.agents.filter((a) => a.id !== meId && a.status === "online" && a.connected);
  const plan: HandBack = { toColleague: [], toMessage: [] };
  for (const s of serving) {
    (others.some((a) => a.teams.includes(s.team)) ? plan.toColleague : plan.toMessage).push(s.name);
  }
  return plan;
}

const KEEP = "Or keep them to finish yourself: no new chats will be offered to you.";

function names(list: readonly string[]): string {
  return list.length <= 1 ? list.join("") : `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}`;
}

export function handBackText(plan: HandBack | null): string {
  if (plan === null || plan.toMessage.length === 0) {
    return "Hand them back to the front of the queue for a colleague (they are told you are no " +
      "longer available), or keep them to finish yourself: no new chats will be offered to you.";
  }
  const message = "told nobody is available, and the chat becomes a message in the Offline inbox.";
  if (plan.toColleague.length === 0) {
    return `Nobody else of their team is online: handed back, they are ${message} ${KEEP}`;
  }
  const many = plan.toMessage.length > 1;
  return `Handed back, ${names(plan.toColleague)} ${plan.toColleague.length > 1 ? "go" : "goes"} ` +
    `to a colleague; nobody else of ${many ? "their teams" : "the team"} of ` +
    `${names(plan.toMessage)} is online: they are ${message} ${KEEP}`;
}
