// One participant in one call, across the peer connections it takes: joins (signaling opens
// the server's peer and says what we can receive), publishes the local tracks on sendonly
// transceivers, follows what the others publish, and rebuilds the connection — close it, join
// again with the same participant id, publish the same tracks — when it fails, stays
// disconnected, the server says its end failed, or signaling reconnected. aiortc has no ICE
// restart: a new connection is the only recovery (docs/media.md).
//
// Owns its Generation (one RTCPeerConnection and its Negotiator) and the LocalMedia handed to
// it; `close()` stops both and is idempotent. What to show is `view`, replaced on every change.

import { capBitrate } from "./bitrate";
import { type Devices, type LocalMedia, MediaProblem, problemText } from "./media";
import { mapSlots, Negotiator } from "./negotiation";
import { summarize, type CallStats } from "./stats";
import {
  type CallSignal, errorCode, type IceServer, type ReceiveSlot, type RemoteMedia, type RemoteTrack,
  type Source,
} from "./types";

export type Phase = "joining" | "connecting" | "connected" | "reconnecting" | "closed";

export interface CallView {
  phase: Phase;
  /** Our participant id in the call, once joined. */
  peerId: string | null;
  /** What we send (the live local tracks), by source. */
  local: Partial<Record<Source, MediaStreamTrack>>;
  muted: boolean;
  /** The other participants (peer ids) who have muted their microphone. */
  remoteMuted: string[];
  /** What the others send and we receive now. */
  remote: RemoteMedia[];
  /** Sources being turned on or off. */
  pending: Source[];
  /** A sentence for the person after a problem (a device refused, the call could not be set
   * up); cleared by their next action. */
  problem: string | null;
  devices: Devices;
  /** The device in use per kind (null: none yet or the default). */
  microphoneId: string | null;
  cameraId: string | null;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface SessionOptions {
  signal: CallSignal;
  media: LocalMedia;
  createPeer?: (config: RTCConfiguration) => RTCPeerConnection;
  /** Asked before every rebuild: false when this tab no longer holds the call. */
  mayRebuild?: () => boolean;
  /** The server refused to (re)join: the call is over, or no longer ours. */
  gone?: (code: string | null) => void;
  timers?: Timers;
}

/** A connection `disconnected` this long is rebuilt (ICE consent takes ~30 s to give up). */
export const DISCONNECTED_REBUILD_MS = 3_000;
/** Waits before the 2nd, 3rd… (re)join in a row without getting connected in between. */
export const REJOIN_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];
/** The media plane refuses offers past 24 m-sections: rebuild before that. */
export const MAX_SECTIONS = 20;

/** Refusals that a new connection cures (the server's peer failed, closed or was replaced). */
const REBUILD_CODES = new Set(["wrong_state", "negotiation_failed", "unknown_peer",
                               "unknown_call", "conflict", "timeout", "disconnected"]);
/** Refusals that say we are not (or no longer) in this call. */
const GONE_CODES = new Set(["conflict", "forbidden", "not_found"]);

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

class Generation {
  readonly stream = new MediaStream();
  receive: readonly ReceiveSlot[] = [];
  everConnected = false;
  disconnectedTimer: unknown = null;

  constructor(readonly pc: RTCPeerConnection,
              readonly negotiator: Negotiator<RTCRtpTransceiver>) {}

  close(): void {
    this.negotiator.close();
    this.pc.onconnectionstatechange = null;
    this.pc.onicecandidate = null;
    try {
      this.pc.close();
    } catch {
      // Already closed.
    }
  }
}

export class CallSession {
  private gen: Generation | null = null;
  private closed = false;
  private connecting = false;
  private attempts = 0;
  private retryTimer: unknown = null;
  /** What the server last said we can receive, if it came while no connection was up. */
  private lateTracks: RemoteTrack[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly timers: Timers;
  private stopWatching: () => void = () => undefined;
  private current: CallView;
  /** Why the connection was last rebuilt (diagnostics). */
  lastRebuild: string | null = null;

  constructor(private readonly options: SessionOptions) {
    this.timers = options.timers ?? realTimers;
    const media = options.media;
    this.current = {
      phase: "joining", peerId: null, local: {}, muted: media.muted, remoteMuted: [], remote: [],
      pending: [],
      problem: null, devices: { microphones: [], cameras: [] },
      microphoneId: media.choice.microphone, cameraId: media.choice.camera,
    };
    media.onEnded = (source) => this.onTrackEnded(source);
  }

  get view(): CallView {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current connection (tests and diagnostics). */
  get peerConnection(): RTCPeerConnection | null {
    return this.gen?.pc ?? null;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Joins with whatever LocalMedia holds now. */
  async start(): Promise<void> {
    this.stopWatching = this.options.media.watchDevices(() => void this.refreshDevices());
    this.update({});
    void this.refreshDevices();
    await this.connect();
  }

  // ---- what the person does ---------------------------------------------------------------

  setMuted(muted: boolean): void {
    this.options.media.setMuted(muted);
    this.update({ muted, problem: null });
    // The others are told, to show it (once joined; joining tells them too).
    if (this.current.peerId !== null) void this.options.signal.muted(muted).catch(() => undefined);
  }

  /** Turns a source on (opens the device; a screen asks the browser's picker) or off. */
  async setSource(source: Source, on: boolean): Promise<boolean> {
    if (this.closed || this.current.pending.includes(source)) return false;
    this.update({ pending: [...this.current.pending, source], problem: null });
    try {
      return on ? await this.publish(source) : await this.unpublish(source);
    } finally {
      this.update({ pending: this.current.pending.filter((s) => s !== source) });
    }
  }

  async useDevice(source: "microphone" | "camera", deviceId: string): Promise<void> {
    if (this.closed) return;
    const media = this.options.media;
    if (!media.track(source)) {
      media.choice[source] = deviceId; // used when it is turned on
      this.update({});
      return;
    }
    let switched: { track: MediaStreamTrack; old: MediaStreamTrack | null };
    try {
      switched = await media.switchDevice(source, deviceId);
    } catch (error) {
      this.update({ problem: error instanceof MediaProblem ? error.message
        : problemText(source, "error") });
      return;
    }
    const transceiver = this.gen?.negotiator.transceiverOf(source);
    try {
      // Same m-section, new track: no renegotiation.
      await transceiver?.sender.replaceTrack(switched.track);
    } catch {
      void this.rebuild("replace track failed");
    }
    switched.old?.stop();
    this.update({ problem: null });
  }

  // ---- what the server says ---------------------------------------------------------------

  /** `call_muted`: another participant muted or unmuted. */
  remoteMutedChanged(peerId: string, muted: boolean): void {
    if (this.closed || peerId === this.current.peerId) return;
    const others = this.current.remoteMuted.filter((p) => p !== peerId);
    this.update({ remoteMuted: muted ? [...others, peerId] : others });
  }

  /** `call_remote_tracks`: what we can receive changed; offer again with enough slots. */
  remoteTracksChanged(tracks: RemoteTrack[]): void {
    if (this.closed) return;
    const gen = this.gen;
    if (!gen || this.connecting) {
      this.lateTracks = tracks;
      return;
    }
    gen.negotiator.ensureSlots(tracks);
    void gen.negotiator.negotiate();
  }

  /** A new connection: after `call_peer_failed`, a failed or long-disconnected connection, a
   * refused renegotiation, or signaling reconnecting (the server may have lost our socket).
   * The first goes at once; more in a row without connecting in between back off. */
  rebuild(reason: string): Promise<void> {
    if (this.closed || this.connecting || this.retryTimer !== null) return Promise.resolve();
    if (this.options.mayRebuild && !this.options.mayRebuild()) {
      this.options.gone?.("moved");
      return Promise.resolve();
    }
    this.lastRebuild = reason;
    this.update({ phase: "reconnecting" });
    if (this.attempts === 0) {
      this.attempts = 1;
      return this.connect();
    }
    this.retryLater();
    return Promise.resolve();
  }

  async stats(): Promise<CallStats | null> {
    const pc = this.gen?.pc;
    if (!pc) return null;
    try {
      return summarize(await pc.getStats() as unknown as Parameters<typeof summarize>[0]);
    } catch {
      return null;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.timers.clear(this.retryTimer);
    this.stopWatching();
    if (this.gen) {
      this.timers.clear(this.gen.disconnectedTimer);
      this.gen.close();
    }
    this.gen = null;
    this.options.media.onEnded = null;
    this.options.media.stopAll();
    this.update({ phase: "closed", remote: [], local: {} });
    this.listeners.clear();
  }

  // ---- connections ------------------------------------------------------------------------

  private async connect(): Promise<void> {
    if (this.closed || this.connecting) return;
    this.connecting = true;
    this.timers.clear(this.retryTimer);
    this.retryTimer = null;
    try {
      let joined;
      try {
        joined = await this.options.signal.join();
      } catch (error) {
        if (this.closed) return;
        const code = errorCode(error);
        if (code !== null && GONE_CODES.has(code)) {
          this.options.gone?.(code);
          return;
        }
        this.attempts = Math.max(this.attempts, 1);
        this.retryLater();
        return;
      }
      if (this.closed) return;
      // The server replaced our old peer: only now let the old connection go, so its tracks
      // stay assigned to the others' slots (rebuild grace) instead of ending.
      const old = this.gen;
      this.gen = null;
      if (old) {
        this.timers.clear(old.disconnectedTimer);
        old.close();
      }
      const gen = this.open(joined.ice_servers);
      this.gen = gen;
      for (const source of this.options.media.sources) {
        const track = this.options.media.track(source);
        if (track) this.addSender(gen, source, track);
      }
      gen.negotiator.ensureSlots(joined.remote_tracks);
      gen.negotiator.ensureSlots(this.lateTracks);
      this.lateTracks = [];
      this.update({ peerId: joined.peer_id, remote: [], local: this.localTracks(),
                    remoteMuted: joined.muted ?? [],
                    phase: this.current.phase === "joining" ? "joining" : "reconnecting" });
      // A page that joins muted (restored after a reload) says so; unmuted is the default.
      if (this.options.media.muted) void this.options.signal.muted(true).catch(() => undefined);
      this.connecting = false;
      await gen.negotiator.negotiate();
    } finally {
      this.connecting = false;
    }
  }

  private retryLater(): void {
    const delay = REJOIN_DELAYS_MS[Math.min(this.attempts - 1, REJOIN_DELAYS_MS.length - 1)];
    this.attempts += 1;
    this.update({ phase: "reconnecting" });
    this.retryTimer = this.timers.set(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay ?? 1_000);
  }

  private open(iceServers: IceServer[]): Generation {
    const config: RTCConfiguration = {
      bundlePolicy: "max-bundle",
      iceServers: iceServers.map((s) => ({
        urls: s.urls, ...(s.username ? { username: s.username } : {}),
        ...(s.credential ? { credential: s.credential } : {}),
      })),
    };
    const pc = this.options.createPeer ? this.options.createPeer(config)
      : new RTCPeerConnection(config);
    let gen: Generation | null = null;
    const negotiator = new Negotiator<RTCRtpTransceiver>(pc, this.options.signal, {
      answered: (receive) => {
        if (gen && gen === this.gen) this.answered(gen, receive);
      },
      failed: (error) => {
        if (gen && gen === this.gen) this.negotiationFailed(error);
      },
    });
    gen = new Generation(pc, negotiator);
    const self = gen;
    pc.onicecandidate = (e) => negotiator.candidate(e.candidate
      ? { candidate: e.candidate.candidate, sdp_mid: e.candidate.sdpMid,
          sdp_mline_index: e.candidate.sdpMLineIndex }
      : { candidate: "", sdp_mid: null, sdp_mline_index: null });
    pc.onconnectionstatechange = () => this.connectionChanged(self);
    return gen;
  }

  private addSender(gen: Generation, source: Source, track: MediaStreamTrack): void {
    const transceiver = gen.pc.addTransceiver(track, { direction: "sendonly",
                                                       streams: [gen.stream] });
    gen.negotiator.publishing(transceiver, source);
    void capBitrate(transceiver.sender, source);
  }

  private answered(gen: Generation, receive: readonly ReceiveSlot[]): void {
    gen.receive = receive;
    const remote = mapSlots(gen.pc.getTransceivers(), receive).map(({ slot, transceiver }) => ({
      trackId: slot.track_id, peerId: slot.peer_id, source: slot.source, kind: slot.kind,
      mid: slot.mid, track: transceiver.receiver.track,
    }));
    for (const source of ["microphone", "camera", "screen"] as const) {
      const t = gen.negotiator.transceiverOf(source);
      if (t) void capBitrate(t.sender, source); // some browsers have no encoding before this
    }
    this.update({ remote, local: this.localTracks() });
  }

  private negotiationFailed(error: unknown): void {
    const code = errorCode(error);
    if (code === null || REBUILD_CODES.has(code)) {
      void this.rebuild(`negotiation ${code ?? "error"}`);
      return;
    }
    this.update({ problem: `The call could not be set up (${code}). Hang up and try again.` });
  }

  private connectionChanged(gen: Generation): void {
    if (gen !== this.gen || this.closed) return;
    const state = gen.pc.connectionState;
    this.timers.clear(gen.disconnectedTimer);
    gen.disconnectedTimer = null;
    switch (state) {
      case "connected":
        gen.everConnected = true;
        this.attempts = 0;
        this.update({ phase: "connected" });
        break;
      case "connecting":
      case "new":
        if (!gen.everConnected && this.current.phase === "joining") {
          this.update({ phase: "connecting" });
        }
        break;
      case "disconnected":
        this.update({ phase: "reconnecting" });
        gen.disconnectedTimer = this.timers.set(() => {
          if (gen === this.gen && gen.pc.connectionState === "disconnected") {
            void this.rebuild("disconnected");
          }
        }, DISCONNECTED_REBUILD_MS);
        break;
      case "failed":
        void this.rebuild("failed");
        break;
      default:
        break;
    }
  }

  // ---- publishing -------------------------------------------------------------------------

  private async publish(source: Source): Promise<boolean> {
    let track: MediaStreamTrack;
    try {
      track = await this.options.media.open(source);
    } catch (error) {
      this.update({ problem: error instanceof MediaProblem ? error.message
        : problemText(source, "error") });
      return false;
    }
    if (this.closed) {
      this.options.media.stop(source);
      return false;
    }
    const gen = this.gen;
    this.update({ local: this.localTracks() });
    if (!gen || this.connecting) return true; // the connection being made publishes it
    if (gen.negotiator.transceiverOf(source)) return true;
    if (gen.pc.getTransceivers().length >= MAX_SECTIONS) {
      // Every publish adds an m-section for good (aiortc cannot restart a receiver): start a
      // fresh connection, which has only what is live.
      await this.rebuild("too many m-sections");
      return true;
    }
    this.addSender(gen, source, track);
    await gen.negotiator.negotiate();
    return true;
  }

  private async unpublish(source: Source): Promise<boolean> {
    const gen = this.gen;
    const transceiver = gen?.negotiator.transceiverOf(source);
    if (gen && transceiver) {
      gen.pc.removeTrack(transceiver.sender); // direction → inactive; never stopped
      gen.negotiator.unpublished(transceiver);
    }
    this.options.media.stop(source);
    this.update({ local: this.localTracks() });
    if (gen && transceiver && !this.connecting) await gen.negotiator.negotiate();
    return true;
  }

  private onTrackEnded(source: Source): void {
    if (this.closed) return;
    void this.unpublish(source);
    // Stopping a screen share from the browser's own bar is a choice, not a problem.
    if (source !== "screen") this.update({ problem: problemText(source, "ended") });
  }

  // ---- view -------------------------------------------------------------------------------

  private localTracks(): Partial<Record<Source, MediaStreamTrack>> {
    const local: Partial<Record<Source, MediaStreamTrack>> = {};
    for (const source of this.options.media.sources) {
      const track = this.options.media.track(source);
      if (track) local[source] = track;
    }
    return local;
  }

  private async refreshDevices(): Promise<void> {
    const devices = await this.options.media.list();
    if (!this.closed) this.update({ devices });
  }

  private update(change: Partial<CallView>): void {
    if (this.closed && change.phase !== "closed") return;
    const media = this.options.media;
    const micId = media.track("microphone")?.getSettings().deviceId ?? media.choice.microphone;
    const camId = media.track("camera")?.getSettings().deviceId ?? media.choice.camera;
    this.current = { ...this.current, ...change, muted: media.muted, microphoneId: micId ?? null,
                     cameraId: camId ?? null };
    for (const listener of this.listeners) listener();
  }
}
