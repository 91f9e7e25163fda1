import assert from "node:assert/strict";
import { test } from "node:test";

import { Batcher, MAX_PARTS, PART_BYTES, splitParts, type OutPart } from "./batcher";

interface Harness {
  batcher: Batcher;
  sent: OutPart[];
  acks: ((snapshotNeeded: boolean) => void)[];
  timers: (() => void)[];
  snapshots: number;
}

function harness(compress = (json: string) => new TextEncoder().encode(json)): Harness {
  const h: Harness = { batcher: null as unknown as Batcher, sent: [], acks: [], timers: [],
                       snapshots: 0 };
  h.batcher = new Batcher({
    send: (part) => {
      h.sent.push(part);
      return new Promise((resolve) => h.acks.push(resolve));
    },
    compress,
    snapshotNeeded: () => { h.snapshots += 1; },
    setTimer: (fn) => { h.timers.push(fn); return h.timers.length; },
    clearTimer: () => undefined,
    now: () => 1000,
  });
  return h;
}

const meta = { type: 4, data: { href: "https://shop/", width: 1280, height: 800 }, timestamp: 1 };
const full = { type: 2, data: { node: {} }, timestamp: 2 };
const move = (t: number) => ({ type: 3, data: { source: 1, positions: [] }, timestamp: t });
const settle = () => new Promise((resolve) => setImmediate(resolve));

function decode(part: OutPart): { type: number }[] {
  return JSON.parse(new TextDecoder().decode(part.data)) as { type: number }[];
}

test("nothing goes before a full snapshot; Meta + FullSnapshot go at once as a full batch", () => {
  const h = harness();
  h.batcher.add(move(0));
  assert.equal(h.sent.length, 0);
  h.batcher.add(meta);
  h.batcher.add(full);
  assert.equal(h.sent.length, 1);
  assert.deepEqual([h.sent[0]!.batch_no, h.sent[0]!.full], [0, true]);
  assert.deepEqual(decode(h.sent[0]!).map((e) => e.type), [4, 2]);
});

test("one batch in flight; what comes meanwhile follows as the next number", async () => {
  const h = harness();
  h.batcher.add(meta);
  h.batcher.add(full);
  h.batcher.add(move(3));
  h.batcher.add(move(4));
  assert.equal(h.sent.length, 1);
  h.acks[0]!(false);
  await settle();
  assert.equal(h.sent.length, 2);
  assert.deepEqual([h.sent[1]!.batch_no, h.sent[1]!.full], [1, false]);
  assert.equal(decode(h.sent[1]!).length, 2);
});

test("a gap reported by the server drops pending events and asks for a snapshot", async () => {
  const h = harness();
  h.batcher.add(meta);
  h.batcher.add(full);
  h.batcher.add(move(3));
  h.acks[0]!(true);
  await settle();
  assert.equal(h.snapshots, 1);
  assert.equal(h.sent.length, 1);
  h.batcher.add(move(5)); // before the new snapshot: useless to the agent
  h.timers.forEach((t) => t());
  assert.equal(h.sent.length, 1);
  h.batcher.add(meta);
  h.batcher.add(full);
  assert.equal(h.sent.length, 2);
  assert.deepEqual([h.sent[1]!.batch_no, h.sent[1]!.full], [1, true]);
});

test("large batches are cut into numbered parts under the cap", () => {
  const data = new Uint8Array(PART_BYTES * 2 + 10);
  const parts = splitParts(data);
  assert.deepEqual(parts.map((p) => p.length), [PART_BYTES, PART_BYTES, 10]);
  const h = harness(() => data);
  h.batcher.add(meta);
  h.batcher.add(full);
  assert.deepEqual(h.sent.map((p) => [p.batch_no, p.part, p.parts]), [[0, 0, 3], [0, 1, 3], [0, 2, 3]]);
  assert.ok(MAX_PARTS * PART_BYTES > 10_000_000);
});

test("a failed send breaks the stream; a quiet stream sends keep-alives", async () => {
  const h = harness();
  h.batcher.add(meta);
  h.batcher.add(full);
  h.acks[0]!(false);
  await settle();
  h.timers[0]!(); // the heartbeat timer armed at construction
  h.timers.forEach((t) => t());
  assert.equal(h.sent.length, 2);
  assert.equal(decode(h.sent[1]!)[0]!.type, 5);
});
