import { test } from "node:test";
import assert from "node:assert/strict";
import { buildSessions, parseChunk, replayCover, retime, sessionAt, sharingIntervals,
  type ChunkBatch } from "./cobrowse";
import type { CobrowseChunkRef, LogEvent } from "./types";

const ORIGIN = 1_700_000_000_000;
const meta = (ts: number) => ({ type: 4, data: { href: "http://shop/", width: 1280, height: 800 }, timestamp: ts });
const full = (ts: number) => ({ type: 2, data: { node: { type: 0, childNodes: [], id: 1 } }, timestamp: ts });
const move = (ts: number) => ({ type: 3, data: { source: 1, positions: [] }, timestamp: ts });

function ref(session: string, first: number): CobrowseChunkRef {
  return { file: `cobrowse/${session}-${first}.cb`, session_id: session, first_batch: first,
           start_offset_ms: 0, url: "" };
}

test("chunks are checked: anything not shaped like rrweb batches is refused", () => {
  const good = [{ batch_no: 0, full: true, ts: ORIGIN, events: [meta(1), full(2)] }];
  assert.deepEqual(parseChunk(good), good);
  assert.equal(parseChunk({}), null);
  assert.equal(parseChunk([{ batch_no: 0, ts: 1, events: "x" }]), null);
  assert.equal(parseChunk([{ batch_no: 0, ts: 1, events: [{ type: 99, timestamp: 1, data: {} }] }]), null);
  assert.equal(parseChunk([{ batch_no: 0, ts: 1, events: [{ type: 3, timestamp: 1 }] }]), null);
  assert.equal(parseChunk([{ batch_no: 0, ts: 1, events: ["<script>"] }]), null);
});

test("events move onto the conversation clock by their batch's server time", () => {
  // The shopper's clock is 10 minutes off; the server received batch 0 at +20 s, batch 1 at +25 s.
  const skew = 600_000;
  const batches: ChunkBatch[] = [
    { batch_no: 1, full: false, ts: ORIGIN + 25_000, events: [move(ORIGIN + skew + 24_500), move(ORIGIN + skew + 24_900)] },
    { batch_no: 0, full: true, ts: ORIGIN + 20_000, events: [meta(ORIGIN + skew + 19_950), full(ORIGIN + skew + 19_960)] },
  ];
  assert.deepEqual(retime(batches, ORIGIN).map((e) => e.timestamp), [19_990, 20_000, 24_600, 25_000]);
});

test("time never runs backwards, even when the shopper's clock does", () => {
  const batches: ChunkBatch[] = [
    { batch_no: 0, full: true, ts: ORIGIN + 5_000, events: [meta(100), full(101)] },
    // A batch whose events claim to span 30 s, received 1 s later.
    { batch_no: 1, full: false, ts: ORIGIN + 6_000, events: [move(70_000), move(100_000)] },
  ];
  const times = retime(batches, ORIGIN).map((e) => e.timestamp);
  assert.deepEqual(times, [4_999, 5_000, 5_000, 6_000]);
  assert.deepEqual(retime([batches[1]!], ORIGIN, 7_000).map((e) => e.timestamp), [7_000, 7_000],
    "not before the session's previous event");
});

test("sessions: chunks joined per tab, starting at a full snapshot, keep-alives dropped", () => {
  const alive = (ts: number) => ({ type: 5, data: { tag: "aisle:alive", payload: {} }, timestamp: ts });
  const sessions = buildSessions([
    { ref: ref("tab1", 5), batches: [{ batch_no: 5, full: true, ts: ORIGIN + 30_000, events: [meta(30_000), full(30_000)] }] },
    { ref: ref("tab1", 0), batches: [
      { batch_no: 0, full: false, ts: ORIGIN + 9_000, events: [move(9_000)] },
      { batch_no: 1, full: true, ts: ORIGIN + 10_000, events: [meta(10_000), full(10_000)] },
      { batch_no: 2, full: false, ts: ORIGIN + 12_000, events: [alive(12_000)] },
      { batch_no: 3, full: false, ts: ORIGIN + 14_000, events: [move(14_000)] }] },
    { ref: ref("tab2", 0), batches: [{ batch_no: 0, full: true, ts: ORIGIN + 20_000, events: [meta(1), full(2), move(3)] }] },
  ], ORIGIN);
  assert.deepEqual(sessions.map((s) => [s.id, s.startMs, s.endMs]), [["tab1", 10_000, 30_000], ["tab2", 19_998, 20_000]]);
  assert.deepEqual(sessions[0]!.events.map((e) => e.type), [4, 2, 3, 4, 2]);
  assert.equal(buildSessions([{ ref: ref("t", 0), batches: [{ batch_no: 0, full: false, ts: ORIGIN, events: [move(1)] }] }], ORIGIN).length, 0,
    "no full snapshot, nothing to show");

  assert.equal(sessionAt(sessions, 5_000), null, "nothing yet");
  assert.equal(sessionAt(sessions, 15_000)!.id, "tab1");
  assert.equal(sessionAt(sessions, 25_000)!.id, "tab2", "the tab that did something last");
  assert.equal(sessionAt(sessions, 31_000)!.id, "tab1");
});

function logEvent(type: string, ts: number, data: unknown = {}): LogEvent {
  return { conversation_id: "cnv_1", seq: ts, ts: ORIGIN + ts, type, data,
           actor: { kind: "system", id: null, name: null } } as unknown as LogEvent;
}

test("what covers the replay: not sharing, waiting for a page, a gap in the recording", () => {
  const events = [logEvent("cobrowse_started", 10_000), logEvent("cobrowse_ended", 40_000),
                  logEvent("cobrowse_started", 50_000)];
  const sharing = sharingIntervals(events, ORIGIN, 90_000);
  assert.deepEqual(sharing, [[10_000, 40_000], [50_000, 90_000]]);
  const gaps = [{ kind: "cobrowse" as const, start_offset_ms: 20_000, end_offset_ms: 25_000, reason: "url" },
                { kind: "all" as const, start_offset_ms: 60_000, end_offset_ms: null, reason: "policy" }];
  const page = { id: "tab1", events: [], startMs: 11_000, endMs: 39_000 };
  assert.deepEqual(replayCover(5_000, sharing, gaps, null), { kind: "off" });
  assert.deepEqual(replayCover(10_500, sharing, gaps, null), { kind: "waiting" });
  assert.deepEqual(replayCover(15_000, sharing, gaps, page), { kind: "none" });
  assert.deepEqual(replayCover(22_000, sharing, gaps, page), { kind: "gap", reason: "url" });
  assert.deepEqual(replayCover(45_000, sharing, gaps, page), { kind: "off" });
  assert.deepEqual(replayCover(70_000, sharing, gaps, page), { kind: "gap", reason: "policy" });
  // The page said it was going at 30 s: shown a moment longer (a page change brings the next
  // one), then the shopper is off the store's pages.
  const gone = { ...page, leftMs: 30_000 };
  assert.deepEqual(replayCover(30_500, sharing, gaps, gone), { kind: "none" });
  assert.deepEqual(replayCover(33_000, sharing, gaps, gone), { kind: "left" });
});

test("a session whose last event is its page going says when", () => {
  const leaving = (ts: number) => ({ type: 5, data: { tag: "aisle:leaving", payload: {} }, timestamp: ts });
  const [left] = buildSessions([{ ref: ref("tab1", 0), batches: [
    { batch_no: 0, full: true, ts: ORIGIN + 10_000, events: [meta(10_000), full(10_000)] },
    { batch_no: 1, full: false, ts: ORIGIN + 12_000, events: [move(11_900), leaving(12_000)] }] }], ORIGIN);
  assert.equal(left!.leftMs, 12_000);
  const [stayed] = buildSessions([{ ref: ref("tab1", 0), batches: [
    { batch_no: 0, full: true, ts: ORIGIN + 10_000, events: [meta(10_000), full(10_000), move(10_500)] }] }], ORIGIN);
  assert.equal(stayed!.leftMs, null);
  // A next page of the store, however slow to load (here 5 s): a page change, not leaving.
  const changed = buildSessions([
    { ref: ref("tab1", 0), batches: [
      { batch_no: 0, full: true, ts: ORIGIN + 10_000, events: [meta(10_000), full(10_000)] },
      { batch_no: 1, full: false, ts: ORIGIN + 12_000, events: [leaving(12_000)] }] },
    { ref: ref("tab2", 0), batches: [
      { batch_no: 0, full: true, ts: ORIGIN + 17_000, events: [meta(17_000), full(17_000)] }] }], ORIGIN);
  assert.deepEqual(changed.map((s) => s.leftMs), [null, null]);
  // A page not recorded came next (its gap opened): that gap says so, not "left".
  const gaps = [{ kind: "cobrowse" as const, start_offset_ms: 16_000, end_offset_ms: null, reason: "url" }];
  assert.deepEqual(replayCover(14_000, [[0, 90_000]], gaps, left!), { kind: "none" });
  assert.deepEqual(replayCover(14_000, [[0, 90_000]], [], left!), { kind: "left" });
});
