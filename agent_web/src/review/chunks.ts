// Recorded co-browsing fetched as the player reaches it. Each chunk file starts with a full
// snapshot, so a chunk plays on its own: for the time on the clock, each tab's chunk that
// covers it is fetched (and the tab's next one, ahead of time), and the page shown is the tab
// that did something last among those loaded. A few chunks are kept; an hour of co-browsing
// is not held in memory at once.

import { buildSessions, sessionAt, type ChunkBatch, type PageSession } from "./cobrowse";
import { lastAtOrBefore } from "./sorted";
import type { CobrowseChunkRef } from "./types";

/** Where the player gets the page to show. */
export interface PageSource {
  /** The page session to show at `t` (null: none, or not fetched yet). */
  at(t: number): PageSession | null;
  /** Whether a chunk is being fetched. */
  readonly loading: boolean;
  /** Chunks that could not be read. */
  readonly broken: number;
  /** Called when a chunk arrives (or fails); returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export type FetchChunk = (url: string) => Promise<ChunkBatch[] | null>;

/** Chunks kept in memory at most (the ones in use are among the most recently used). */
const KEEP = 8;

export class ChunkSource implements PageSource {
  /** Per tab, its chunks in order. */
  private readonly tabs: CobrowseChunkRef[][];
  /** By file: the chunk's session (null: unreadable or empty), most recently used last. */
  private readonly cache = new Map<string, PageSession | null>();
  private readonly pending = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly failed = new Set<string>();

  constructor(refs: readonly CobrowseChunkRef[], private readonly originMs: number,
              private readonly fetchChunk: FetchChunk) {
    const bySession = new Map<string, CobrowseChunkRef[]>();
    for (const ref of refs) {
      const list = bySession.get(ref.session_id) ?? [];
      list.push(ref);
      bySession.set(ref.session_id, list);
    }
    this.tabs = [...bySession.values()].map((list) => list.sort((a, b) => a.first_batch - b.first_batch));
  }

  get loading(): boolean {
    return this.pending.size > 0;
  }

  get broken(): number {
    return this.failed.size;
  }

  /** The latest a chunk starts (a lower bound of the recording's end). */
  get lastStartMs(): number | undefined {
    const starts = this.tabs.flat().map((r) => r.start_offset_ms);
    return starts.length ? Math.max(...starts) : undefined;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  at(t: number): PageSession | null {
    const loaded: PageSession[] = [];
    for (const tab of this.tabs) {
      const i = lastAtOrBefore(tab, t, (ref) => ref.start_offset_ms);
      if (i < 0) continue;
      const session = this.get(tab[i]!);
      if (session) loaded.push(session);
      const next = tab[i + 1];
      if (next) this.get(next); // fetched ahead: crossing into it does not wait
    }
    return sessionAt(loaded, t);
  }

  /** The chunk's session if fetched (undefined: fetching it now). */
  private get(ref: CobrowseChunkRef): PageSession | null | undefined {
    if (this.cache.has(ref.file)) {
      const cached = this.cache.get(ref.file) ?? null;
      this.cache.delete(ref.file); // most recently used goes last
      this.cache.set(ref.file, cached);
      return cached;
    }
    if (!this.pending.has(ref.file)) void this.fetch(ref);
    return undefined;
  }

  private async fetch(ref: CobrowseChunkRef): Promise<void> {
    this.pending.add(ref.file);
    let session: PageSession | null = null;
    try {
      const batches = await this.fetchChunk(ref.url);
      if (batches === null) this.failed.add(ref.file);
      else session = buildSessions([{ ref, batches }], this.originMs)[0] ?? null;
    } catch {
      this.failed.add(ref.file);
    }
    this.pending.delete(ref.file);
    this.cache.set(ref.file, session);
    while (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value!);
    for (const listener of this.listeners) listener();
  }
}
