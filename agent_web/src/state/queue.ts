// The queues of the agent's teams: a snapshot (`get_queue`) then one team at a time
// (`team_queue_updated`), shown as one list, longest waiting first.
import type { ConversationSummary } from "../protocol.gen";

export type Queues = Readonly<Record<string, readonly ConversationSummary[]>>;

/** A snapshot of all teams, grouped by team. */
export function queuesFromSnapshot(conversations: readonly ConversationSummary[]): Record<string, ConversationSummary[]> {
  const byTeam: Record<string, ConversationSummary[]> = {};
  for (const c of conversations) (byTeam[c.team] ??= []).push(c);
  return byTeam;
}

export function withTeam(queues: Queues, team: string, waiting: readonly ConversationSummary[]): Queues {
  return { ...queues, [team]: waiting };
}

/** Every waiting conversation, the one waiting longest first. */
export function waitingList(queues: Queues): ConversationSummary[] {
  return Object.values(queues).flat()
    .sort((a, b) => (a.queued_at ?? a.created_at) - (b.queued_at ?? b.created_at));
}
