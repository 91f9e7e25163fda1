// One conversation's call as one participant's page lives it, in the widget and the console
// alike: ringing out (devices opened first, so the browser asks while the person is clicking,
// and a screen picker has the click it needs), answering, joining when the call is on and this
// tab holds it (again after a reload or the store's next page), following what the server says,
// hanging up. The server's conversation fields (`call`, `call_id`, `call_media`, `call_by`) are
// the truth; this only adds what the page itself holds.
//
// Owns its CallSession and, before one exists, the LocalMedia opened for it.

import type { RemoteTrack } from "../protocol.gen";
import type { CallControllerOptions, CallEngine, CallState } from "./engine";
import { LocalMedia, MediaProblem } from "./media";
import { CallSession } from "./session";
import { type CallFields, callStage } from "./stage";
import type { CallRecord } from "./store";
import {
  type CallMedia, type CallSignal, type Candidate, errorCode, type Source, callerSources,
} from "./types";

export type { CallControllerOptions, CallEngine, CallRequester, CallState } from "./engine";

/** How long a call we started may go unseen in the conversation's fields. */
const EXPECT_FIELDS_MS = 15_000;
/** An offer waits for aiortc's answer, candidate gathering included. */
const OFFER_TIMEOUT_MS = 20_000;

export const MOVED_TEXT = "Your call continues in another tab or window.";
const SCREEN_AFTER_PAGE_TEXT = "Screen sharing stopped when the page changed. Share again if " +
  "you need to.";

function startProblem(error: unknown): string {
  switch (errorCode(error)) {
    case "conflict":
      return "A call is already ringing or on in this conversation.";
    case "disconnected":
    case "timeout":
      return "We can't reach the server right now. Check your connection and try again.";
    default:
      return "The call could not be started. Try again.";
  }
}

export class CallController implements CallEngine {
  private fields: CallFields | null = null;
  /** Devices opened before the connection exists (ringing out, answering). */
  private media: LocalMedia | null = null;
  private session: CallSession | null = null;
  private sessionCallId: string | null = null;
  /** The session's devices (their choice is kept for the next call). */
  private sessionMedia: LocalMedia | null = null;
  private joiningCallId: string | null = null;
  private busy = false;
  private expected: { callId: string; until: number } | null = null;
  private hangingUp: string | null = null;
  private expectTimer: ReturnType<typeof setTimeout> | undefined;
  private problem: string | null = null;
  private closed = false;
  private current: CallState = { stage: { kind: "none" }, busy: false, preview: {},
                                 problem: null, call: null };
  private readonly listeners = new Set<() => void>();
  private readonly stopWatching: () => void;

  constructor(private readonly options: CallControllerOptions) {
    this.stopWatching = options.store.watchHolders(() => this.holdersChanged());
  }

  get conversationId(): string {
    return this.options.conversationId;
  }

  get state(): CallState {
    return this.current;
  }

  /** The connection, while in the call (tests and diagnostics). */
  get callSession(): CallSession | null {
    return this.session;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- what the server says ---------------------------------------------------------------

  /** The conversation's call fields (a snapshot, or the log folded into one). */
  update(fields: CallFields | null): void {
    const f = this.fields;
    if (f && fields && f.call === fields.call && f.call_id === fields.call_id &&
        f.call_media === fields.call_media && f.call_by === fields.call_by) return;
    this.fields = fields ? { call: fields.call, call_id: fields.call_id,
                             call_media: fields.call_media, call_by: fields.call_by } : null;
    this.evaluate();
  }

  /** Signaling (re)connected: a connection made before may be unknown to the server now. */
  connected(): void {
    if (this.session) void this.session.rebuild("signaling reconnected");
    this.evaluate();
  }

  /** `call_remote_tracks` / `call_peer_failed` / `call_muted`. */
  notify(event: string, data: unknown): void {
    const d = data as { conversation_id?: unknown; call_id?: unknown; tracks?: unknown;
                        peer_id?: unknown; muted?: unknown } | null;
    const session = this.session;
    if (!session || !d || d.conversation_id !== this.options.conversationId ||
        d.call_id !== this.sessionCallId) return;
    if (event === "call_remote_tracks" && Array.isArray(d.tracks)) {
      session.remoteTracksChanged(d.tracks as RemoteTrack[]);
    } else if (event === "call_peer_failed") {
      void session.rebuild("the server's peer failed");
    } else if (event === "call_muted" && typeof d.peer_id === "string"
               && typeof d.muted === "boolean") {
      session.remoteMutedChanged(d.peer_id, d.muted);
    }
  }

  // ---- what the person does ---------------------------------------------------------------

  /** Rings the other side. Devices first: a refusal is told before anyone is disturbed.
   * `record`: the person's consent to recording, where the site asks for it. */
  async start(media: CallMedia, record = false): Promise<boolean> {
    if (this.closed || this.busy || this.current.stage.kind !== "none") return false;
    this.busy = true;
    this.problem = null;
    this.render();
    const local = this.newMedia();
    try {
      for (const source of callerSources(media)) await local.open(source);
    } catch (error) {
      local.stopAll();
      return this.fail(error instanceof MediaProblem ? error.message : startProblem(error));
    }
    if (this.closed) {
      local.stopAll();
      return false;
    }
    this.media = local;
    this.render();
    try {
      const { call_id: callId } = await this.options.request("start_call", {
        conversation_id: this.options.conversationId, media, record });
      this.keep({ callId, sources: local.sources, muted: false });
      this.expect(callId);
    } catch (error) {
      if (this.media === local) this.media = null;
      local.stopAll();
      return this.fail(startProblem(error));
    }
    this.busy = false;
    this.evaluate();
    return true;
  }

  /** Answers a ringing call; `video` also opens the camera. A refused device does not stop the
   * call (the person still hears and sees the other side) but is told. */
  async accept(video: boolean, record = false): Promise<boolean> {
    const stage = this.current.stage;
    if (this.closed || this.busy || stage.kind !== "incoming") return false;
    this.busy = true;
    this.problem = null;
    this.render();
    const local = this.newMedia();
    // "Voice only" to a video call is the microphone alone: the camera stays off (and so is
    // neither sent nor recorded) until they turn it on.
    const wanted: Source[] = video ? ["microphone", "camera"] : ["microphone"];
    let problem: string | null = null;
    for (const source of wanted) {
      try {
        await local.open(source);
      } catch (error) {
        problem ??= error instanceof MediaProblem ? error.message : null;
      }
    }
    this.media = local;
    this.keep({ callId: stage.callId, sources: local.sources, muted: false });
    try {
      await this.options.request("answer_call", { conversation_id: this.options.conversationId,
                                                  accept: true, record });
    } catch {
      this.dropMedia();
      this.options.store.saveRecord(this.options.conversationId, null);
      return this.fail("The call could not be answered: it may have ended.");
    }
    this.busy = false;
    this.problem = problem;
    this.evaluate();
    return true;
  }

  async decline(): Promise<void> {
    if (this.current.stage.kind !== "incoming") return;
    this.problem = null;
    await this.options.request("answer_call", { conversation_id: this.options.conversationId,
                                                accept: false, record: false }).catch(() => undefined);
  }

  /** Hangs up (or cancels ringing). The visitor's or the assignee's hang-up ends the call for
   * everybody; a supervisor's only takes them out of it. */
  async hangUp(): Promise<void> {
    this.problem = null;
    // Until the server answers (its call_ended comes before the ack), this call is over here.
    this.hangingUp = this.fields?.call_id ?? null;
    this.leave();
    this.render();
    await this.options.request("hang_up", { conversation_id: this.options.conversationId })
      .catch(() => undefined);
    this.hangingUp = null;
    this.evaluate();
  }

  /** Joins a call that is on without this page: from another tab ("join here") or, for a
   * supervisor, at all. */
  join(): void {
    const stage = this.current.stage;
    if (this.closed || stage.kind !== "elsewhere") return;
    this.problem = null;
    const sources: Source[] = stage.media === "video" && this.options.side !== "agent"
      ? ["microphone", "camera"] : ["microphone"];
    this.keep({ callId: stage.callId, sources, muted: false });
    this.evaluate();
  }

  setMuted(muted: boolean): void {
    this.problem = null;
    this.session?.setMuted(muted);
  }

  async setSource(source: Source, on: boolean): Promise<void> {
    this.problem = null;
    await this.session?.setSource(source, on);
  }

  async useDevice(source: "microphone" | "camera", deviceId: string): Promise<void> {
    this.problem = null;
    await this.session?.useDevice(source, deviceId);
  }

  /** This page goes away (or the conversation is no longer shown): let go of the connection
   * and devices, but keep the record, so the next page joins again. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.expectTimer);
    this.stopWatching();
    this.session?.close();
    this.session = null;
    this.dropMedia();
    this.listeners.clear();
  }

  // ---- joining ----------------------------------------------------------------------------

  private evaluate(): void {
    if (this.closed) return;
    const f = this.fields;
    const callId = f && f.call !== "off" ? f.call_id : null;
    if (this.expected && f?.call_id === this.expected.callId) this.expected = null; // caught up
    if (this.expected && this.expected.until <= Date.now()) this.expected = null;
    // Our own call may be acked before its fields arrive: no letting go of it meanwhile.
    const waiting = this.busy || this.expected !== null;
    if (this.session && this.sessionCallId !== callId) this.leave(); // it ended
    const store = this.options.store;
    const record = store.record(this.options.conversationId);
    if (record && record.callId !== callId && !waiting) {
      store.saveRecord(this.options.conversationId, null);
    }
    if (callId === null && !waiting) this.dropMedia();
    if (f?.call === "active" && callId !== null && !this.session && this.joiningCallId === null &&
        record?.callId === callId && this.holds(callId) && this.options.connected()) {
      void this.enter(callId, record);
    }
    this.render();
  }

  private async enter(callId: string, record: CallRecord): Promise<void> {
    this.joiningCallId = callId;
    this.render();
    const media = this.media ?? this.newMedia();
    this.media = null;
    let problem: string | null = null;
    for (const source of record.sources) {
      if (media.track(source)) continue;
      if (source === "screen") {
        problem ??= SCREEN_AFTER_PAGE_TEXT; // the picker needs the person's click
        continue;
      }
      try {
        await media.open(source);
      } catch (error) {
        problem ??= error instanceof MediaProblem ? error.message : null;
      }
    }
    media.setMuted(record.muted);
    this.joiningCallId = null;
    const f = this.fields;
    if (this.closed || f?.call !== "active" || f.call_id !== callId) {
      media.stopAll();
      this.evaluate();
      return;
    }
    this.options.store.claim(this.options.conversationId, callId);
    const session = new CallSession({
      signal: this.signal(), media, createPeer: this.options.createPeer,
      mayRebuild: () => this.holds(callId),
      gone: (code) => this.gone(session, code),
    });
    this.session = session;
    this.sessionCallId = callId;
    this.sessionMedia = media;
    if (problem) this.problem = problem;
    session.subscribe(() => {
      if (this.session !== session) return;
      this.persist(session);
      this.render();
    });
    this.render();
    await session.start();
  }

  private newMedia(): LocalMedia {
    return this.options.mediaDevices === undefined ? new LocalMedia(this.options.store.choice())
      : new LocalMedia(this.options.store.choice(), this.options.mediaDevices);
  }

  private signal(): CallSignal {
    const conversation_id = this.options.conversationId;
    const request = this.options.request;
    return {
      join: () => request("join_call", { conversation_id }),
      offer: (sdp, sources) => request("call_offer", { conversation_id, sdp, sources },
                                       OFFER_TIMEOUT_MS),
      candidate: async (c: Candidate) => {
        await request("call_candidate", { conversation_id, ...c });
      },
      muted: async (muted: boolean) => {
        await request("set_call_muted", { conversation_id, muted });
      },
    };
  }

  /** What this tab sends now, so the next page sends the same. */
  private persist(session: CallSession): void {
    const view = session.view;
    if (view.phase === "closed" || this.sessionCallId === null) return;
    this.options.store.saveRecord(this.options.conversationId, {
      callId: this.sessionCallId, sources: Object.keys(view.local) as Source[],
      muted: view.muted });
    if (this.sessionMedia) this.options.store.saveChoice({ ...this.sessionMedia.choice });
  }

  /** A call we started, until its fields reach us (or give up after a while). */
  private expect(callId: string): void {
    this.expected = { callId, until: Date.now() + EXPECT_FIELDS_MS };
    clearTimeout(this.expectTimer);
    this.expectTimer = setTimeout(() => this.evaluate(), EXPECT_FIELDS_MS + 10);
  }

  /** The call this tab joins as soon as signaling is up (shown as joining meanwhile). */
  private willJoin(): string | null {
    const f = this.fields;
    if (f?.call !== "active" || !f.call_id) return null;
    const record = this.options.store.record(this.options.conversationId);
    return record?.callId === f.call_id && this.holds(f.call_id) ? f.call_id : null;
  }

  private keep(record: CallRecord): void {
    this.options.store.saveRecord(this.options.conversationId, record);
    this.options.store.claim(this.options.conversationId, record.callId);
  }

  private holds(callId: string): boolean {
    const holder = this.options.store.holder(this.options.conversationId);
    return !holder || holder.callId !== callId || holder.tab === this.options.store.tab;
  }

  private holdersChanged(): void {
    if (!this.session || this.sessionCallId === null || this.holds(this.sessionCallId)) return;
    this.moved();
  }

  private moved(): void {
    this.session?.close();
    this.session = null;
    this.sessionCallId = null;
    this.sessionMedia = null;
    this.options.store.saveRecord(this.options.conversationId, null);
    this.problem = MOVED_TEXT;
    this.render();
  }

  private gone(session: CallSession, code: string | null): void {
    if (this.session !== session) return;
    if (code === "moved") {
      this.moved();
      return;
    }
    this.leave();
    this.render();
  }

  /** Out of the call here: connection closed, devices released, record forgotten. */
  private leave(): void {
    this.session?.close();
    this.session = null;
    this.sessionCallId = null;
    this.sessionMedia = null;
    this.dropMedia();
    this.options.store.saveRecord(this.options.conversationId, null);
  }

  private dropMedia(): void {
    this.media?.stopAll();
    this.media = null;
  }

  private fail(problem: string): false {
    this.busy = false;
    this.problem = problem;
    this.evaluate();
    return false;
  }

  private render(): void {
    if (this.closed) return;
    const f = this.fields;
    const joined = this.session ? this.sessionCallId : this.joiningCallId ?? this.willJoin();
    const preview: Partial<Record<Source, MediaStreamTrack>> = {};
    for (const source of this.media?.sources ?? []) {
      const track = this.media?.track(source);
      if (track) preview[source] = track;
    }
    const stage = this.hangingUp !== null && f?.call_id === this.hangingUp
      ? { kind: "none" as const } : callStage(f, this.options.side, joined);
    this.current = { stage, busy: this.busy, preview,
                     problem: this.problem, call: this.session?.view ?? null };
    for (const listener of this.listeners) listener();
  }
}
