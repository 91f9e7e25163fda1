// The shopper's transcript lines for sharing their page and for recordings (of the sharing or of
// a call): who did what, in the widget's own words ("You" for the shopper). Pauses nobody chose
// (a page the site does not record, a consent not given) are said by the sharing bar and the
// call's status, not in the transcript.

import type { Person } from "../call/wording";
import type {
  CobrowseEnded, CobrowseStarted, RecordingPaused, RecordingResumed,
} from "../protocol.gen";

export type SharingLogEvent = CobrowseStarted | CobrowseEnded | RecordingPaused | RecordingResumed;

export const SHARING_EVENTS: ReadonlySet<string> = new Set([
  "cobrowse_started", "cobrowse_ended", "recording_paused", "recording_resumed",
]);

/** `actor`: who did it; `agent`: the agent the shopper shares with (a name, when the log has
 * it); `sharing`: whether the page was being shared just before this event. */
export function sharingLine(e: SharingLogEvent, actor: Person, agent: (id: string) => string,
                            sharing: boolean): string | null {
  switch (e.type) {
    case "cobrowse_started":
      return `You started sharing your page with ${agent(e.data.agent_id)}` +
        (e.data.recorded === true ? " (recorded)" : "");
    case "cobrowse_ended":
      switch (e.data.reason) {
        case "declined": return "You declined to share your page";
        case "stopped":
          if (e.data.by === "visitor") return "You stopped sharing your page";
          if (e.data.by === "agent") {
            return sharing ? `${actor.name} stopped viewing your page`
              : `${actor.name} no longer asks to see your page`;
          }
          return "Sharing your page ended";
        case "agent_left": return "Sharing your page ended: the agent left the chat";
        case "page_closed": return "Sharing ended: the page you shared was closed";
        case "conversation_ended": return null;  // the chat's own line says it ended
      }
      return null;
    case "recording_paused":
    case "recording_resumed":
      return recordingLine(e, actor);
  }
}

function recordingLine(e: RecordingPaused | RecordingResumed, actor: Person): string | null {
  const call = e.data.kind === "call";
  const what = call ? "the call" : "your page";
  const goesOn = call ? "the call goes on" : "sharing goes on";
  if (e.type === "recording_resumed") {
    return e.data.reason === "agent" ? `${actor.name} resumed the recording of ${what}` : null;
  }
  switch (e.data.reason) {
    case "withdrawn":
      return `${actor.name} stopped the recording of ${what}; ${goesOn} unrecorded`;
    case "agent":
      return `${actor.name} paused the recording of ${what}; ${goesOn}`;
    case "storage":
      // The server's disk, not the shopper's doing: said as plainly as the agent hears it.
      return `The recording of ${what} stopped because it could not be saved; ${goesOn} ` +
        "unrecorded";
    default:
      return null;
  }
}
