// The Offline inbox's lines: messages left while nobody could answer, and chats that fell back
// to a message (their agent dropped and nobody of the team was left). Whether an agent ever
// replied comes with each line (`agent_replied`).
import type { ConversationSummary } from "../protocol.gen";

export interface OfflineStatus {
  text: string;
  /** The status-chip colour class. */
  tone: "st-ended" | "st-active" | "st-offline";
  /** What the short text means, when it needs saying. */
  title?: string;
}

export function offlineStatus(line: ConversationSummary, meId: string): OfflineStatus {
  if (line.status !== "offline") return { text: "closed", tone: "st-ended" };
  if (line.agent_id === meId) return { text: "Yours", tone: "st-active" };
  if (line.agent_id !== null) return { text: "Answered by a colleague", tone: "st-active" };
  // Nobody holds it: "Unanswered" only when no agent ever wrote in it.
  if (!line.agent_replied) return { text: "Unanswered", tone: "st-offline" };
  return {
    text: "Unassigned", tone: "st-offline",
    title: "An agent answered this chat live, then it became a message: nobody holds it now.",
  };
}
