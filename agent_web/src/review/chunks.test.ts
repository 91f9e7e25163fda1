import { test } from "node:test";
import assert from "node:assert/strict";
import { ChunkSource } from "./chunks";
import type { ChunkBatch } from "./cobrowse";
import type { CobrowseChunkRef } from "./types";

const ORIGIN = 1_700_000_000_000;
const meta = (ts: number) => ({ type: 4, data: { href: "http://shop/", width: 1280, height: 800 }, timestamp: ts });
const full = (ts: number) => ({ type: 2, data: { node: { type: 0, childNodes: [], id: 1 } }, timestamp: ts });
const move = (ts: number) => ({ type: 3, data: { source: 1, positions: [] }, timestamp: ts });

/** A tab's chunk starting at `start` (conversation ms) with a snapshot, then a move at `last`. */
function chunk(tab: string, first: number, start: number, last: number): [CobrowseChunkRef, ChunkBatch[]] {
  const ref = { file: `cobrowse/${tab}-${first}.cb`, session_id: tab, first_batch: first,
                start_offset_ms: start, url: `/c/${tab}-${first}` };
  return [ref, [{ batch_no: first, full: true, ts: ORIGIN + start, events: [meta(start), full(start)] },
                { batch_no: first + 1, full: false, ts: ORIGIN + last, events: [move(last)] }]];
}

function source(chunks: Array<[CobrowseChunkRef, ChunkBatch[] | null]>) {
  const fetched: string[] = [];
  const answers = new Map<string, () => void>();
  const byUrl = new Map(chunks.map(([ref, batches]) => [ref.url, batches]));
  const pages = new ChunkSource(chunks.map(([ref]) => ref), ORIGIN, (url) => {
    fetched.push(url);
    return new Promise((resolve) => answers.set(url, () => resolve(byUrl.get(url) ?? null)));
  });
  let changes = 0;
  pages.subscribe(() => { changes += 1; });
  /** Lets every fetch asked so far answer. */
  const answer = async () => {
    for (const [url, resolve] of [...answers]) {
      answers.delete(url);
      resolve();
    }
    await new Promise((r) => setTimeout(r, 0));
  };
  return { pages, fetched, answer, changes: () => changes };
}

test("a chunk is fetched when the player reaches it, with the tab's next one, not before", async () => {
  const { pages, fetched, answer, changes } = source([
    chunk("tab1", 0, 10_000, 15_000), chunk("tab1", 5, 30_000, 35_000), chunk("tab1", 9, 60_000, 65_000)]);
  assert.equal(pages.at(5_000), null, "nothing yet, nothing fetched");
  assert.deepEqual(fetched, []);
  assert.equal(pages.at(12_000), null, "fetching");
  assert.ok(pages.loading);
  assert.deepEqual(fetched, ["/c/tab1-0", "/c/tab1-5"]);
  await answer();
  assert.equal(changes(), 2);
  assert.equal(pages.loading, false);
  const first = pages.at(12_000)!;
  assert.deepEqual([first.id, first.startMs, first.endMs], ["tab1", 10_000, 15_000]);
  assert.equal(pages.at(31_000)!.startMs, 30_000, "the next one was fetched ahead");
  assert.deepEqual(fetched, ["/c/tab1-0", "/c/tab1-5", "/c/tab1-9"]);
  assert.equal(pages.lastStartMs, 60_000);
});

test("of two tabs, the one that did something last; unreadable chunks are counted", async () => {
  const { pages, answer } = source([
    chunk("tab1", 0, 10_000, 12_000), chunk("tab2", 0, 20_000, 21_000), [chunk("tab3", 0, 40_000, 41_000)[0], null]]);
  pages.at(25_000);
  await answer();
  assert.equal(pages.at(25_000)!.id, "tab2");
  assert.equal(pages.at(15_000)!.id, "tab1");
  pages.at(45_000);
  await answer();
  assert.equal(pages.broken, 1);
  assert.equal(pages.at(45_000)!.id, "tab2", "tab3 could not be read");
});

test("a long recording is not all kept in memory: the oldest chunks are dropped and fetched again", async () => {
  const chunks = Array.from({ length: 12 }, (_, i) => chunk("tab1", i * 10, i * 60_000, i * 60_000 + 1_000));
  const { pages, fetched, answer } = source(chunks);
  for (let i = 0; i < 12; i += 1) {
    pages.at(i * 60_000 + 500);
    await answer();
  }
  assert.equal(fetched.length, 12, "each once while playing through");
  pages.at(500);
  assert.deepEqual(fetched.slice(12), ["/c/tab1-0", "/c/tab1-10"],
    "the first two were dropped, and are fetched again when sought");
  await answer();
  assert.equal(pages.at(500)!.startMs, 0);
});
