// Fakes of the browser's media and WebRTC objects and of the server's call requests, for the
// call client's unit tests (node has neither). Just enough of each, behaving as Chromium does
// where it matters here: mids assigned at setLocalDescription, removeTrack making a sendonly
// transceiver inactive, one encoding per sender.

import type { MediaDevicesLike } from "./media";
import type { Timers } from "./session";
import type { CallAnswer, Candidate, Joined, ReceiveSlot, RemoteTrack, TrackSource } from "./types";

export class FakeMediaStream {
  constructor(private readonly tracks: FakeTrack[] = []) {}
  getTracks() {
    return this.tracks;
  }
}
// The session wraps its tracks in a MediaStream (node has none).
(globalThis as unknown as { MediaStream: unknown }).MediaStream ??= FakeMediaStream;

export class FakeTrack {
  enabled = true;
  readyState = "live";
  contentHint = "";
  onended: (() => void) | null = null;
  constructor(readonly kind: string, readonly label: string) {}
  stop() {
    this.readyState = "ended";
  }
  getSettings() {
    return { deviceId: this.label };
  }
}

export class FakeSender {
  params: { encodings: { maxBitrate?: number; maxFramerate?: number }[] } = { encodings: [{}] };
  constructor(public track: FakeTrack | null) {}
  getParameters() {
    return structuredClone(this.params);
  }
  async setParameters(p: typeof this.params) {
    this.params = p;
  }
  async replaceTrack(track: FakeTrack) {
    this.track = track;
  }
}

export class FakeTransceiver {
  mid: string | null = null;
  readonly receiver: { track: FakeTrack };
  constructor(public direction: string, readonly sender: FakeSender, kind: string) {
    this.receiver = { track: new FakeTrack(kind, `remote-${kind}`) };
  }
}

export class FakePeer {
  static made: FakePeer[] = [];
  readonly transceivers: FakeTransceiver[] = [];
  localDescription: { sdp: string } | null = null;
  signalingState = "stable";
  connectionState = "new";
  closed = false;
  onconnectionstatechange: (() => void) | null = null;
  onicecandidate: ((e: { candidate: null }) => void) | null = null;
  constructor(readonly config: RTCConfiguration) {
    FakePeer.made.push(this);
  }
  addTransceiver(trackOrKind: FakeTrack | string, init: { direction: string }) {
    const track = typeof trackOrKind === "string" ? null : trackOrKind;
    const kind = typeof trackOrKind === "string" ? trackOrKind : trackOrKind.kind;
    const t = new FakeTransceiver(init.direction, new FakeSender(track), kind);
    this.transceivers.push(t);
    return t;
  }
  removeTrack(sender: FakeSender) {
    const t = this.transceivers.find((x) => x.sender === sender)!;
    t.direction = t.direction === "sendonly" ? "inactive" : "recvonly";
    sender.track = null;
  }
  getTransceivers() {
    return this.transceivers;
  }
  async setLocalDescription(d?: { type: string }) {
    if (d?.type === "rollback") {
      this.signalingState = "stable";
      return;
    }
    this.transceivers.forEach((t, i) => { t.mid ??= String(i); });
    this.localDescription = { sdp: `offer with ${this.transceivers.length} sections` };
    this.signalingState = "have-local-offer";
  }
  async setRemoteDescription() {
    this.signalingState = "stable";
  }
  close() {
    this.closed = true;
  }
  becomes(state: string) {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }
}

/** Devices that open (or refuse, with the DOMException name given per source). */
export function fakeDevices(refuse: { microphone?: string; camera?: string; screen?: string } = {}
): MediaDevicesLike & { opened: string[] } {
  const opened: string[] = [];
  const fail = (name: string | undefined) => {
    if (name) throw Object.assign(new Error(name), { name });
  };
  return {
    opened,
    getUserMedia: async (c?: MediaStreamConstraints) => {
      const source = c?.video ? "camera" : "microphone";
      fail(refuse[source]);
      opened.push(source);
      return new FakeMediaStream([source === "camera" ? new FakeTrack("video", "cam")
        : new FakeTrack("audio", "mic")]) as never;
    },
    getDisplayMedia: async () => {
      fail(refuse.screen);
      opened.push("screen");
      return new FakeMediaStream([new FakeTrack("video", "screen")]) as never;
    },
    enumerateDevices: async () => [],
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  } as MediaDevicesLike & { opened: string[] };
}

export class FakeTimers implements Timers {
  private next = 1;
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  set(fn: () => void, ms: number) {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clear(handle: unknown) {
    this.pending.delete(handle as number);
  }
  /** Fires every timer due within `ms`. */
  run(ms: number) {
    for (const [id, t] of [...this.pending]) {
      if (t.ms <= ms) {
        this.pending.delete(id);
        t.fn();
      }
    }
  }
}

export type Step = string;

/** The server: answers offers mapping the remote tracks onto our recvonly slots. */
export function fakeServer(log: Step[]) {
  let remote: RemoteTrack[] = [];
  let joins = 0;
  const srv = {
    refuseJoin: null as string | null,
    refuseOffer: null as string | null,
    offers: [] as TrackSource[][],
    candidates: [] as Candidate[],
    /** Who is muted among the others when we join; what we said of our own microphone. */
    mutedOthers: [] as string[],
    mutedSaid: [] as boolean[],
    get joins() { return joins; },
    set remote(tracks: RemoteTrack[]) { remote = tracks; },
    signal: {
      join: async (): Promise<Joined> => {
        joins += 1;
        log.push(`join ${joins}`);
        if (srv.refuseJoin) throw Object.assign(new Error("no"), { code: srv.refuseJoin });
        return { call_id: "cal_1", peer_id: "vis_1", ice_servers: [{ urls: ["stun:x"],
          username: null, credential: null }], remote_tracks: remote, muted: srv.mutedOthers };
      },
      offer: async (sdp: string, sources: TrackSource[]): Promise<CallAnswer> => {
        log.push(`offer ${sdp}`);
        srv.offers.push(sources);
        if (srv.refuseOffer) throw Object.assign(new Error("no"), { code: srv.refuseOffer });
        const pc = FakePeer.made[FakePeer.made.length - 1]!;
        const free = pc.transceivers.filter((t) => t.direction === "recvonly");
        const receive: ReceiveSlot[] = [];
        for (const r of remote) {
          const slot = free.find((t) => t.receiver.track.kind === r.kind && !receive.some((x) => x.mid === t.mid));
          if (slot?.mid) receive.push({ mid: slot.mid, track_id: r.track_id, peer_id: r.peer_id, source: r.source, kind: r.kind });
        }
        return { sdp: "answer", receive, published: [] };
      },
      candidate: async (c: Candidate) => { srv.candidates.push(c); },
      muted: async (m: boolean) => { srv.mutedSaid.push(m); },
    },
  };
  return srv;
}

export const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};
