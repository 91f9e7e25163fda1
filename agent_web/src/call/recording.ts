// Whether a call's recording is paused so that the agent serving the conversation may resume
// it, read from the log: they paused it ("agent"), or it stopped because it could not be saved
// ("storage": the server's disk was full or failing). Never a recording the shopper stopped.
import type { LogEvent } from "../protocol.gen";

export type CallPause = "agent" | "storage" | null;

export function callPause(events: readonly LogEvent[]): CallPause {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const e = events[i]!;
    if ((e.type === "recording_paused" || e.type === "recording_resumed") && e.data.kind === "call") {
      if (e.type !== "recording_paused") return null;
      return e.data.reason === "agent" || e.data.reason === "storage" ? e.data.reason : null;
    }
    if (e.type === "call_accepted") return null;
  }
  return null;
}
