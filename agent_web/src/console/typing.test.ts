import { test } from "node:test";
import assert from "node:assert/strict";
import { TypingEmitter, type Timers } from "./typing";

function fakeTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let queue: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  return {
    now: () => now,
    set(fn, ms) { const id = ++ids; queue.push({ at: now + ms, fn, id }); return id; },
    clear(h) { queue = queue.filter((t) => t.id !== h); },
    advance(ms) {
      now += ms;
      const due = queue.filter((t) => t.at <= now);
      queue = queue.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
  };
}

test("typing: true once, repeated while typing on, false after a pause", () => {
  const t = fakeTimers();
  const sent: boolean[] = [];
  const e = new TypingEmitter((x) => sent.push(x), 3000, 5000, t);
  e.input("h");
  t.advance(1000);
  e.input("he");
  t.advance(1000);
  e.input("hel");
  assert.deepEqual(sent, [true]);
  t.advance(2000);
  e.input("hell");
  t.advance(1500);
  e.input("hello"); // 5.5 s after the first: said again
  assert.deepEqual(sent, [true, true]);
  t.advance(3000);
  assert.deepEqual(sent, [true, true, false]);
});

test("typing stops at once when the draft is emptied or sent", () => {
  const t = fakeTimers();
  const sent: boolean[] = [];
  const e = new TypingEmitter((x) => sent.push(x), 3000, 5000, t);
  e.input("x");
  e.input("");
  e.stop();
  assert.deepEqual(sent, [true, false]);
});
