// What a /visitor notification means for the view: the reducer action it amounts to, or null
// (the shopper's own typing echoed, other sides' presence, messages for other features).

import type { LogEvent, VisitorNotifications } from "../protocol.gen";
import type { Action } from "./widget";

type N = VisitorNotifications;

export function isLogEvent(data: unknown): data is LogEvent {
  const e = data as Partial<LogEvent> | null;
  return !!e && typeof e.conversation_id === "string" && typeof e.seq === "number" &&
    typeof e.type === "string" && typeof e.actor === "object" && e.actor !== null;
}

export function actionFor(event: string, data: unknown): Action | null {
  if (!data || typeof data !== "object") return null;
  switch (event) {
    case "queue_updated": {
      const d = data as N["queue_updated"];
      return { type: "queue", conversationId: d.conversation_id, queue: d.queue };
    }
    case "conversation_updated":
      return { type: "conversation", conversation: (data as N["conversation_updated"])
        .conversation };
    case "availability_changed": {
      const d = data as N["availability_changed"];
      return d.site ? { type: "availability", availability: d.availability, site: d.site }
        : { type: "availability", availability: d.availability };
    }
    case "typing_changed": {
      const d = data as N["typing_changed"];
      return d.side === "agent"
        ? { type: "typing", conversationId: d.conversation_id, typing: d.typing, name: d.name }
        : null;
    }
    case "presence_changed": {
      const d = data as N["presence_changed"];
      return d.side === "agent"
        ? { type: "presence", conversationId: d.conversation_id, online: d.online } : null;
    }
    default:
      return isLogEvent(data) && data.type === event ? { type: "event", event: data } : null;
  }
}
