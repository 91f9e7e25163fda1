// What the widget says about waiting and about nobody being there: plain, and honest when the
// server cannot estimate the wait.

import type { AgentLeftData, QueueInfo, VisitorConversation } from "../protocol.gen";

/** "under a minute", "about 3 minutes", "about 2 hours"; null when unknown. */
export function formatWait(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 60) return "under a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "about a minute" : `about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours === 1 ? "about an hour" : `about ${hours} hours`;
}

export interface WaitWording {
  headline: string;
  detail: string;
}

/** The waiting banner for a queued or offered conversation. */
export function waitWording(conv: VisitorConversation): WaitWording {
  if (conv.status === "offered") {
    return { headline: "Connecting you with an agent…",
             detail: "Someone is picking up your chat now." };
  }
  const queue: QueueInfo | null = conv.queue;
  if (queue === null) {
    return { headline: "You're in the queue",
             detail: "We can't estimate the wait right now. Keep this page open (or come back " +
               "to it): an agent will answer here." };
  }
  const headline = queue.position <= 1 ? "You're next in line"
    : `You're number ${queue.position} in line`;
  if (queue.estimated_wait_s === null) {
    return { headline, detail: "We can't estimate the wait right now: an agent will answer " +
               "here as soon as one is free." };
  }
  if (queue.estimated_wait_s === 0) {
    return { headline, detail: "An agent should be with you in a moment." };
  }
  return { headline, detail: `Estimated wait: ${formatWait(queue.estimated_wait_s)}.` };
}

export function offlineReasonText(reason: "no_agents" | "outside_hours" | null,
                                  opensAt: number | null = null, now = Date.now()): string {
  if (reason !== "outside_hours") return "Nobody is available for this topic right now.";
  const when = opensAt === null ? null : openingTime(opensAt, now);
  return "We're outside our opening hours right now." + (when ? ` We open ${when}.` : "");
}

/** "today at 13:00", "tomorrow at 09:00", "on Saturday at 10:00": in the shopper's own
 * language and time zone (the store's hours are set in the store's). */
export function openingTime(at: number, now = Date.now(), locale?: string): string {
  const day = (t: number) => { const d = new Date(t); d.setHours(0, 0, 0, 0); return d.getTime(); };
  const time = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" })
    .format(at);
  const days = Math.round((day(at) - day(now)) / 86_400_000);
  if (days <= 0) return `today at ${time}`;
  if (days === 1) return `tomorrow at ${time}`;
  const weekday = new Intl.DateTimeFormat(locale, { weekday: "long" }).format(at);
  return `on ${weekday} at ${time}`;
}

const COME_BACK = "Come back to this site in this browser to read the reply; you can add " +
  "details below meanwhile.";

/** The agent who had been answering live (name when known) and why they are gone. */
export interface AgentGone {
  name: string | null;
  reason: AgentLeftData["reason"] | null;
}

/** The card over a conversation kept as a message that nobody has answered yet. `left`: the
 * agent who had been answering live before it became one, else null (nobody had); `emailTo`:
 * where the answer is also emailed (the server sends mail and the shopper gave an address). */
export function messageCard(left: AgentGone | null, emailTo: string | null = null): WaitWording {
  const comeBack = emailTo
    ? `If you haven't read it here first, we'll email it to ${emailTo}. You can add details ` +
      "below meanwhile."
    : COME_BACK;
  if (left === null) {
    return { headline: "Message received",
             detail: `Nobody could answer live, so we'll answer here. ${comeBack}` };
  }
  const name = left.name ?? "The agent who was helping you";
  const why = left.reason === "disconnected" ? `${name} lost their connection`
    : left.reason === "unavailable" ? `${name} is no longer available`
    : left.reason === "transfer" ? `${name} handed your chat on`
    : `${name} left the chat`;
  return { headline: "Your chat is saved as a message",
           detail: `${why} and nobody else can answer live right now, so we'll answer here. ` +
             comeBack };
}

/** "12:04" in the shopper's locale. */
export function clockTime(ts: number): string {
  try {
    return new Date(ts).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  } catch {
    return "";
  }
}

export function initials(name: string): string {
  const parts = name.replace(/\(.*?\)/g, "").trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "?";
  const last = parts.length > 1 ? parts[parts.length - 1]?.[0] ?? "" : "";
  return (first + last).toUpperCase();
}

/** What the pre-chat form says when starting failed, by the server's error code. */
export function startProblem(code: string): string {
  if (code === "team_unavailable") {
    return "Nobody can answer live right now. Your message can still be left below and " +
      "we'll answer here.";
  }
  if (code === "site_disabled") return "Chat isn't available on this store any more.";
  if (code === "disconnected" || code === "timeout") {
    return "We can't reach our help desk right now. Check your connection and try again.";
  }
  return "Something went wrong starting the chat. Please try again.";
}

/** Said when a card number was masked in what the shopper sent (`redact.ts`). */
export const CARD_MASKED = "We hid the card number in your message. For your safety, please " +
  "don't share card details in chat.";
