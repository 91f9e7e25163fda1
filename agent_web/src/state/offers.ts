// Offers: a conversation proposed to this agent until `expires_at` (server time). The card shows
// the time left and a bar that drains; withdrawn or answered offers leave the list.
import type { Conversation, ConversationSummary } from "../protocol.gen";
import { anonymousName } from "./conversation";

export interface Offer {
  conversation: Conversation;
  summary: ConversationSummary;
  /** Server ms. */
  expiresAt: number;
  /** Server ms when it reached us: the bar's full length is expiresAt - offeredAt. */
  offeredAt: number;
  /** What the colleague who transferred it wrote for the next agent. */
  transferNote?: string | null;
}

export function remainingMs(offer: Offer, serverNow: number): number {
  return Math.max(0, offer.expiresAt - serverNow);
}

/** 1 when just offered, 0 when expired. */
export function remainingFraction(offer: Offer, serverNow: number): number {
  const total = offer.expiresAt - offer.offeredAt;
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, (offer.expiresAt - serverNow) / total));
}

/** Whole seconds left, rounded up (0:30 … 0:01, then 0:00 only once expired). */
export function formatCountdown(ms: number): string {
  const s = Math.ceil(Math.max(0, ms) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** A new or renewed offer replaces the old one for that conversation; oldest first. */
export function upsertOffer(offers: readonly Offer[], offer: Offer): Offer[] {
  return [...offers.filter((o) => o.conversation.id !== offer.conversation.id), offer]
    .sort((a, b) => a.offeredAt - b.offeredAt);
}

/** The shopper wrote while the offer rings: its card shows what they say now. The same list
 * when there is no such offer (it was taken or withdrawn meanwhile). */
export function withOfferSummary(offers: readonly Offer[], summary: ConversationSummary): Offer[] {
  // (Two quick messages may arrive out of order: the newer summary stays.)
  if (!offers.some((o) => o.conversation.id === summary.id && o.summary.last_seq <= summary.last_seq)) {
    return offers as Offer[];
  }
  return offers.map((o) => (o.conversation.id === summary.id ? { ...o, summary } : o));
}

export function removeOffer(offers: readonly Offer[], conversationId: string): Offer[] {
  const next = offers.filter((o) => o.conversation.id !== conversationId);
  return next.length === offers.length ? (offers as Offer[]) : next;
}

/** What kind of offer the card is: a new chat, or one an agent already answered that comes
 * back (handed on with a note; or without one, or back in the queue after its agent was gone). */
export function offerKicker(offer: Offer): string {
  if (offer.transferNote) return "Handed on to you";
  return offer.summary.agent_replied ? "Answered before" : "New chat";
}

/** Who the offer is from, as a card title. */
export function offerTitle(offer: Offer): string {
  return offer.summary.visitor_name || offer.conversation.fields.name
    || anonymousName(offer.summary.visitor_id);
}

/** What a screen reader says once when the offer arrives: the card's own countdown ticks every
 * second and is kept out of announcements, so the time given here is the offer's whole length. */
export function offerAnnouncement(offer: Offer, topic: string): string {
  const seconds = Math.max(0, Math.round((offer.expiresAt - offer.offeredAt) / 1000));
  const said = offer.summary.last_message ? `: “${offer.summary.last_message}”` : "";
  return `New chat from ${offerTitle(offer)}${said} (${topic}, ${offer.summary.team} team). `
    + `Expires in ${seconds} second${seconds === 1 ? "" : "s"}.`;
}
