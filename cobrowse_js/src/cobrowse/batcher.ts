// rrweb events to numbered batches: coalesced for a few ms, deflated (raw deflate, as the server
// expects), cut into parts under the server's per-part cap, one batch in flight at a time (the
// server checks numbering, so batches must arrive in order). A full snapshot starts a "full"
// batch; when the server lost the thread (`snapshot_needed`), when a send failed, or after a
// reconnect, pending events are dropped and a fresh full snapshot is asked for.

/** The server refuses parts larger than 256 KiB; stay under with room to spare. */
export const PART_BYTES = 240_000;
export const MAX_PARTS = 64;
/** Events emitted together (one mutation burst, Meta + FullSnapshot) go in one batch. */
export const FLUSH_MS = 15;
/** With nothing to send, a small keep-alive batch lets the agent tell "quiet" from "stale". */
export const HEARTBEAT_MS = 1_000;

const META = 4;
const FULL_SNAPSHOT = 2;
const CUSTOM = 5;

export interface BatchEvent {
  type: number;
  data: unknown;
  timestamp: number;
}

export interface OutPart {
  batch_no: number;
  full: boolean;
  part: number;
  parts: number;
  data: Uint8Array;
}

export interface BatcherIO {
  /** Sends one part; resolves to the ack's `snapshot_needed`, rejects when it failed. */
  send(part: OutPart): Promise<boolean>;
  compress(json: string): Uint8Array;
  /** The recorder should take a full snapshot (the stream was broken). */
  snapshotNeeded(): void;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  now(): number;
}

export function splitParts(data: Uint8Array, size = PART_BYTES): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return parts.length ? parts : [data];
}

export class Batcher {
  private pending: BatchEvent[] = [];
  private pendingFull = false;
  private next = 0;
  private inFlight = false;
  private flushTimer: unknown = null;
  private heartbeatTimer: unknown = null;
  private closed = false;
  /** A full snapshot is on its way: incremental events before it are useless. */
  private awaitingFull = true;
  /** Bytes before and after compression, for the benchmark and diagnostics. */
  readonly stats = { rawBytes: 0, sentBytes: 0, batches: 0 };

  constructor(private readonly io: BatcherIO) {
    this.armHeartbeat();
  }

  add(event: BatchEvent): void {
    if (this.closed) return;
    if (event.type === META) {
      // A new snapshot begins: what was pending belongs to the old one and is now moot.
      if (!this.pendingFull) this.pending = [];
      this.pendingFull = true;
      this.awaitingFull = false;
    } else if (this.awaitingFull) {
      return;
    }
    this.pending.push(event);
    if (event.type === FULL_SNAPSHOT) this.flush();
    else this.scheduleFlush();
  }

  /** The stream broke: forget pending events until the next full snapshot comes. */
  reset(): void {
    this.pending = [];
    this.pendingFull = false;
    this.awaitingFull = true;
    this.io.clearTimer(this.flushTimer);
    this.flushTimer = null;
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== null || this.inFlight) return;
    this.flushTimer = this.io.setTimer(() => {
      this.flushTimer = null;
      this.flush();
    }, FLUSH_MS);
  }

  private armHeartbeat(): void {
    this.io.clearTimer(this.heartbeatTimer);
    if (this.closed) return;
    this.heartbeatTimer = this.io.setTimer(() => {
      if (!this.awaitingFull && !this.pending.length && !this.inFlight) {
        this.add({ type: CUSTOM, data: { tag: "aisle:alive", payload: {} },
                   timestamp: this.io.now() });
      }
      this.armHeartbeat();
    }, HEARTBEAT_MS);
  }

  /** Sends what is pending now (unless a batch is in flight: it follows that one). */
  flush(): void {
    this.io.clearTimer(this.flushTimer);
    this.flushTimer = null;
    if (this.inFlight || !this.pending.length || this.closed) return;
    const events = this.pending;
    const full = this.pendingFull;
    this.pending = [];
    this.pendingFull = false;
    void this.sendBatch(events, full);
  }

  private async sendBatch(events: BatchEvent[], full: boolean): Promise<void> {
    this.inFlight = true;
    this.armHeartbeat();
    const json = JSON.stringify(events);
    const data = this.io.compress(json);
    const parts = splitParts(data);
    const batchNo = this.next++;
    let broken = parts.length > MAX_PARTS;
    if (!broken) {
      this.stats.rawBytes += json.length;
      this.stats.sentBytes += data.length;
      this.stats.batches += 1;
      try {
        const acks = await Promise.all(parts.map((part, index) => this.io.send({
          batch_no: batchNo, full, part: index, parts: parts.length, data: part })));
        broken = acks.some(Boolean);
      } catch {
        broken = true;
      }
    }
    this.inFlight = false;
    if (this.closed) return;
    if (broken) {
      this.reset();
      this.io.snapshotNeeded();
      return;
    }
    if (this.pending.length) this.flush();
  }

  /** Sends what is pending without waiting (the page is going away). */
  flushNow(): void {
    this.inFlight = false;
    this.flush();
  }

  close(): void {
    this.closed = true;
    this.io.clearTimer(this.flushTimer);
    this.io.clearTimer(this.heartbeatTimer);
    this.pending = [];
  }
}
