// The browser's half of docs/media.md "the client always offers": one negotiation at a time
// (changes during one are folded into exactly one more), sendonly transceivers named by source
// in the offer, recvonly slots for what the server can send us, the answer's `receive` list as
// the only truth about which slot carries which remote track, and our trickled candidates held
// until the server has its first offer (it refuses candidates before one).
//
// Written against the few RTCPeerConnection members it uses, so tests drive it with fakes.

import type { CallSignal, Candidate, Kind, ReceiveSlot, Source, TrackSource } from "./types";

export interface TransceiverLike {
  readonly mid: string | null;
  readonly direction: string;
  readonly receiver: { readonly track: { readonly kind: string } };
}

export interface PeerLike<T extends TransceiverLike> {
  readonly localDescription: { readonly sdp: string } | null;
  readonly signalingState: string;
  setLocalDescription(description?: { type: "rollback" }): Promise<void>;
  setRemoteDescription(description: { type: "answer"; sdp: string }): Promise<void>;
  getTransceivers(): T[];
  addTransceiver(kind: Kind, init: { direction: "recvonly" }): T;
}

export interface NegotiationHooks {
  /** An answer was applied: the slots that carry a remote track now (the others are free). */
  answered(receive: readonly ReceiveSlot[]): void;
  /** A round failed: the server refused the offer, or the browser the answer. The rounds
   * asked for meanwhile are dropped (the caller decides: report, or rebuild). */
  failed(error: unknown): void;
}

function sends(t: TransceiverLike): boolean {
  return t.direction === "sendonly" || t.direction === "sendrecv";
}

/** Receive slots: transceivers only the server sends on, by kind. */
export function slotCount(transceivers: readonly TransceiverLike[], kind: Kind): number {
  return transceivers.filter((t) => t.direction === "recvonly" && t.receiver.track.kind === kind)
    .length;
}

/** The answer's slots with the transceiver each one is (slots we do not have are skipped). */
export function mapSlots<T extends TransceiverLike>(transceivers: readonly T[],
                                                    receive: readonly ReceiveSlot[]
): { slot: ReceiveSlot; transceiver: T }[] {
  const byMid = new Map(transceivers.filter((t) => t.mid !== null).map((t) => [t.mid, t]));
  return receive.flatMap((slot) => {
    const transceiver = byMid.get(slot.mid);
    return transceiver ? [{ slot, transceiver }] : [];
  });
}

interface Waiter {
  round: number;
  resolve(ok: boolean): void;
}

export class Negotiator<T extends TransceiverLike> {
  private readonly sources = new Map<T, Source>();
  /** Rounds asked for / finished; a round covers every change made before it started. */
  private asked = 0;
  private finished = 0;
  private lastOk = false;
  private busy = false;
  private waiters: Waiter[] = [];
  private answeredOnce = false;
  private heldCandidates: Candidate[] = [];
  private sending: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly pc: PeerLike<T>,
              private readonly signal: Pick<CallSignal, "offer" | "candidate">,
              private readonly hooks: NegotiationHooks) {}

  /** `transceiver` (sendonly) carries `source`: named in every offer while it sends. */
  publishing(transceiver: T, source: Source): void {
    this.sources.set(transceiver, source);
  }

  /** Its sender was removed (the transceiver stays, inactive, forever). */
  unpublished(transceiver: T): void {
    this.sources.delete(transceiver);
  }

  /** The transceiver sending `source`, if any. */
  transceiverOf(source: Source): T | null {
    for (const [t, s] of this.sources) if (s === source) return t;
    return null;
  }

  /** At least one recvonly slot per remote track of each kind; how many were added. */
  ensureSlots(remote: readonly { kind: Kind }[]): number {
    let added = 0;
    for (const kind of ["audio", "video"] as const) {
      const want = remote.filter((r) => r.kind === kind).length;
      for (let have = slotCount(this.pc.getTransceivers(), kind); have < want; have++) {
        this.pc.addTransceiver(kind, { direction: "recvonly" });
        added++;
      }
    }
    return added;
  }

  /** What this offer sends, by mid (after setLocalDescription gave every transceiver one). */
  offeredSources(): TrackSource[] {
    const out: TrackSource[] = [];
    for (const [t, source] of this.sources) {
      if (sends(t) && t.mid !== null) out.push({ mid: t.mid, source });
    }
    return out;
  }

  /** Offers the current transceivers. Resolves once a round that started after this call has
   * been answered: true if it was, false if it failed or the negotiator closed. */
  negotiate(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    this.asked += 1;
    const round = this.asked;
    const done = new Promise<boolean>((resolve) => this.waiters.push({ round, resolve }));
    if (!this.busy) void this.run();
    return done;
  }

  /** A local candidate from `onicecandidate` (null: gathering is complete). */
  candidate(candidate: Candidate): void {
    if (this.closed) return;
    if (!this.answeredOnce) {
      this.heldCandidates.push(candidate);
      return;
    }
    this.send(candidate);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.heldCandidates = [];
    this.settle(Number.POSITIVE_INFINITY, false);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private send(candidate: Candidate): void {
    // In order, one after the other; a refused candidate is not worth more than a lost one.
    this.sending = this.sending.then(() => this.signal.candidate(candidate)).catch(() => undefined);
  }

  private settle(upTo: number, ok: boolean): void {
    const ready = this.waiters.filter((w) => w.round <= upTo);
    this.waiters = this.waiters.filter((w) => w.round > upTo);
    for (const w of ready) w.resolve(ok);
  }

  private async run(): Promise<void> {
    this.busy = true;
    while (!this.closed && this.finished < this.asked) {
      const covers = this.asked;
      const ok = await this.round();
      // A failed round drops the ones asked for meanwhile: they would fail the same way.
      this.finished = ok ? covers : this.asked;
      this.lastOk = ok;
      this.settle(this.finished, ok);
    }
    this.busy = false;
    if (this.closed) this.settle(Number.POSITIVE_INFINITY, false);
  }

  private async round(): Promise<boolean> {
    const pc = this.pc;
    try {
      await pc.setLocalDescription();
      if (this.closed) return false;
      const answer = await this.signal.offer(pc.localDescription?.sdp ?? "",
                                             this.offeredSources());
      if (this.closed) return false;
      await pc.setRemoteDescription({ type: "answer", sdp: answer.sdp });
      if (this.closed) return false;
      if (!this.answeredOnce) {
        this.answeredOnce = true;
        const held = this.heldCandidates;
        this.heldCandidates = [];
        for (const c of held) this.send(c);
      }
      this.hooks.answered(answer.receive);
      return true;
    } catch (error) {
      if (this.closed) return false;
      if (pc.signalingState === "have-local-offer") {
        // Back to stable, so the next offer starts from what was last agreed.
        await pc.setLocalDescription({ type: "rollback" }).catch(() => undefined);
      }
      this.hooks.failed(error);
      return false;
    }
  }

  /** Whether the last finished round was answered. */
  get lastRoundOk(): boolean {
    return this.lastOk;
  }
}
