// The Offline inbox's lines: messages left while nobody could answer, and chats that fell back
// to a message (their agent dropped and nobody of the team was left). Whether an agent ever
// replied is not in the server's summary: the console reads it from the log (actions.ts).
import type { ConversationSummary, LogEvent } from "../protocol.gen";

export interface OfflineLine extends ConversationSummary {
  /** An agent wrote to the shopper in it at some point; null: not known (not looked up, or
   * the log could not be read). Looked up only for lines nobody holds. */
  agentReplied: boolean | null;
}

/** Whether `agentReplied` must be looked up for this line. */
export function needsReplyCheck(line: ConversationSummary): boolean {
  return line.status === "offline" && line.agent_id === null;
}

export function agentReplied(events: readonly LogEvent[]): boolean {
  return events.some((e) => e.type === "message_created" && e.actor.kind === "agent");
}

export interface OfflineStatus {
  text: string;
  /** The status-chip colour class. */
  tone: "st-ended" | "st-active" | "st-offline";
  /** What the short text means, when it needs saying. */
  title?: string;
}

export function offlineStatus(line: OfflineLine, meId: string): OfflineStatus {
  if (line.status !== "offline") return { text: "closed", tone: "st-ended" };
  if (line.agent_id === meId) return { text: "Yours", tone: "st-active" };
  if (line.agent_id !== null) return { text: "Answered by a colleague", tone: "st-active" };
  // Nobody holds it. "Unanswered" only when it is known that no agent ever wrote in it.
  if (line.agentReplied === false) return { text: "Unanswered", tone: "st-offline" };
  return {
    text: "Unassigned", tone: "st-offline",
    title: line.agentReplied ? "An agent answered this chat live, then it became a message: nobody holds it now."
      : "Nobody holds this message now.",
  };
}
