import { test } from "node:test";
import assert from "node:assert/strict";
import type { ConversationSummary } from "../protocol.gen";
import { formatCountdown, offerAnnouncement, offerTitle, type Offer, remainingFraction, remainingMs, removeOffer, upsertOffer,
  offerKicker, withOfferSummary } from "./offers";
import { conversation } from "./fixtures";

function offer(id: string, offeredAt: number, expiresAt: number): Offer {
  const conv = conversation({ id, status: "offered" });
  const summary: ConversationSummary = {
    id, site_id: "sit_1", status: "offered", topic: "order", team: "support", visitor_id: "vis_1", visitor_name: "Dana",
    agent_id: null, created_at: 0, queued_at: 0, ended_at: null, last_message: "Hi", last_seq: 3, rating: null,
    agent_replied: false,
  };
  return { conversation: conv, summary, offeredAt, expiresAt };
}

test("countdown: time left, fraction of the bar, rounded-up seconds", () => {
  const o = offer("a", 1_000, 31_000);
  assert.equal(remainingMs(o, 1_000), 30_000);
  assert.equal(formatCountdown(remainingMs(o, 1_000)), "0:30");
  assert.equal(formatCountdown(remainingMs(o, 30_001)), "0:01");
  assert.equal(formatCountdown(remainingMs(o, 40_000)), "0:00");
  assert.equal(remainingFraction(o, 16_000), 0.5);
  assert.equal(remainingFraction(o, 0), 1, "clamped when our clock is behind");
  assert.equal(remainingFraction(o, 99_000), 0);
  assert.equal(formatCountdown(90_000), "1:30");
});

test("offers: one per conversation, oldest first; withdrawn ones leave", () => {
  let list = upsertOffer([], offer("b", 2, 10));
  list = upsertOffer(list, offer("a", 1, 10));
  list = upsertOffer(list, offer("b", 3, 20));
  assert.deepEqual(list.map((o) => [o.conversation.id, o.offeredAt]), [["a", 1], ["b", 3]]);
  assert.deepEqual(removeOffer(list, "a").map((o) => o.conversation.id), ["b"]);
  assert.equal(removeOffer(list, "zzz"), list);
  assert.equal(offerTitle(list[0]!), "Dana");
  // The shopper writes while it rings: the card reads what they say now.
  const later = withOfferSummary(list, { ...list[1]!.summary, last_message: "Hello? Anyone?" });
  assert.deepEqual(later.map((o) => o.summary.last_message), ["Hi", "Hello? Anyone?"]);
  assert.equal(withOfferSummary(list, { ...list[0]!.summary, id: "gone" }), list);
  const stale = withOfferSummary(later, { ...list[1]!.summary, last_seq: 2, last_message: "older" });
  assert.equal(stale, later, "an older summary arriving late changes nothing");
});

test("a card says whether the chat is new or comes back to an agent", () => {
  const fresh = offer("a", 1, 10);
  assert.equal(offerKicker(fresh), "New chat");
  const back = { ...fresh, summary: { ...fresh.summary, agent_replied: true } };
  assert.equal(offerKicker(back), "Answered before");
  assert.equal(offerKicker({ ...back, transferNote: "Refund, order 1042" }), "Handed on to you");
});

test("an offer is announced once, with its whole length rather than the ticking time left", () => {
  assert.equal(offerAnnouncement(offer("a", 1_000, 31_000), "An order I placed"),
    "New chat from Dana: “Hi” (An order I placed, support team). Expires in 30 seconds.");
  const silent = offer("b", 0, 1_000);
  silent.summary = { ...silent.summary, last_message: null };
  assert.equal(offerAnnouncement(silent, "Help"), "New chat from Dana (Help, support team). Expires in 1 second.");
});
