import assert from "node:assert/strict";
import { test } from "node:test";

import { canEnd } from "./conversation";
import { conversation, SITE_DEFAULTS } from "./fixtures";
import { allOffline, topicStatus, validatePrechat } from "./prechat";
import { contrast, textOn } from "./theme";
import {
  formatWait, initials, messageCard, offlineReasonText, openingTime, waitWording,
} from "./wording";

test("waits are rounded into plain words", () => {
  assert.equal(formatWait(null), null);
  assert.equal(formatWait(20), "under a minute");
  assert.equal(formatWait(75), "about a minute");
  assert.equal(formatWait(400), "about 7 minutes");
  assert.equal(formatWait(7200), "about 2 hours");
});

test("the waiting banner is honest when the wait is unknown", () => {
  const unknown = waitWording(conversation({ queue: { position: 3, estimated_wait_s: null } }));
  assert.equal(unknown.headline, "You're number 3 in line");
  assert.match(unknown.detail, /can't estimate/);
  const noQueue = waitWording(conversation({ queue: null }));
  assert.match(noQueue.detail, /can't estimate/);
  const next = waitWording(conversation({ queue: { position: 1, estimated_wait_s: 120 } }));
  assert.equal(next.headline, "You're next in line");
  assert.equal(next.detail, "Estimated wait: about 2 minutes.");
});

test("topic availability comes from its team", () => {
  const topic = { id: "payment", label: "Payment", team: "billing" };
  const opensAt = new Date(2026, 10, 30, 9, 0).getTime();
  const availability = { teams: [{ team: "billing", available: false,
                                   reason: "outside_hours" as const, estimated_wait_s: null,
                                   opens_at: opensAt }] };
  assert.deepEqual(topicStatus(topic, availability),
                   { topic, available: false, reason: "outside_hours", estimatedWaitS: null,
                     opensAt });
  assert.equal(topicStatus(topic, { teams: [] }).available, true);
  const site = { name: "s", theme: { color: "#000000", position: "right" as const,
                                     greeting: "" }, topics: [topic], ...SITE_DEFAULTS };
  assert.equal(allOffline(site, availability), true);
});

test("the pre-chat form accepts what the server accepts", () => {
  const topics = [{ id: "order", label: "Order", team: "support" }];
  const ok = { topic: "order", name: "", email: "", message: "hi" };
  assert.deepEqual(validatePrechat(ok, topics), {});
  assert.ok(validatePrechat({ ...ok, email: "not-an-email" }, topics).email);
  assert.ok(validatePrechat({ ...ok, message: "   " }, topics).message);
  assert.ok(validatePrechat({ ...ok, topic: "nope" }, topics).topic);
  assert.ok(validatePrechat({ ...ok, name: "x".repeat(101) }, topics).name);
  assert.deepEqual(validatePrechat({ ...ok, email: "dana@example.com" }, topics), {});
});

test("text on the accent colour is readable", () => {
  assert.equal(textOn("#4f46e5"), "#ffffff");
  assert.equal(textOn("#fcd34d"), "#111827");
  assert.ok(contrast("#4f46e5", textOn("#4f46e5")) >= 4.5);
});

test("initials for the avatar fallback", () => {
  assert.equal(initials("Alex (demo agent)"), "A");
  assert.equal(initials("Sam Rivera"), "SR");
});

test("a message left is not the shopper's to end; a chat, waiting or under way, is", () => {
  assert.equal(canEnd(conversation({ status: "offline", offline_reason: "no_agents" })), false);
  assert.equal(canEnd(conversation({ status: "ended" })), false);
  assert.equal(canEnd(null), false);
  for (const status of ["queued", "offered", "active"] as const) {
    assert.equal(canEnd(conversation({ status })), true, status);
  }
});

test("what a message left says is true of how it became one", () => {
  assert.match(messageCard(null).detail, /^Nobody could answer live/);
  const dropped = messageCard({ name: "Olivia (owner)", reason: "disconnected" });
  assert.doesNotMatch(dropped.detail, /Nobody could answer live/);
  assert.match(dropped.detail, /^Olivia \(owner\) lost their connection and nobody else/);
  assert.match(messageCard({ name: null, reason: null }).detail,
               /^The agent who was helping you left the chat/);
  // Where the server emails answers and the shopper gave an address, they are told so.
  assert.match(messageCard(null).detail, /Come back to this site in this browser/);
  const mailed = messageCard(null, "dana@example.com").detail;
  assert.match(mailed, /we'll email it to dana@example\.com/);
  assert.doesNotMatch(mailed, /Come back/);
});

test("the shopper is not told about teams", () => {
  assert.doesNotMatch(offlineReasonText("no_agents"), /team/i);
  assert.doesNotMatch(offlineReasonText("outside_hours"), /team/i);
});

test("a closed store says when it opens again, in the shopper's terms", () => {
  const now = new Date(2026, 10, 27, 18, 30).getTime();  // a Friday evening
  const at = (d: number, h: number) => new Date(2026, 10, d, h, 0).getTime();
  assert.match(openingTime(at(27, 20), now, "en-GB"), /^today at 20:00$/);
  assert.match(openingTime(at(28, 9), now, "en-GB"), /^tomorrow at 9:00$/);
  assert.match(openingTime(at(30, 9), now, "en-GB"), /^on Monday at 9:00$/);
  assert.equal(offlineReasonText("outside_hours", null, now),
               "We're outside our opening hours right now.");
  assert.match(offlineReasonText("outside_hours", at(28, 9), now),
               /^We're outside our opening hours right now\. We open tomorrow at 9:00(\s*AM)?\.$/);
  assert.equal(offlineReasonText("no_agents", at(28, 9), now),
               "Nobody is available for this topic right now.");
});
