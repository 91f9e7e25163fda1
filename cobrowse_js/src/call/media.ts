// This participant's own media: the microphone, camera and screen tracks (one each), the
// chosen devices, mute, and what to tell a person when the browser says no. The tracks outlive
// peer connections: a rebuilt connection publishes the same ones again.

import type { Source } from "./types";

export interface Device {
  id: string;
  label: string;
}

export interface Devices {
  microphones: Device[];
  cameras: Device[];
}

/** The devices picked in this browser (null: the browser's default). */
export interface DeviceChoice {
  microphone: string | null;
  camera: string | null;
}

/** The slice of `navigator.mediaDevices` we use (tests pass their own). */
export type MediaDevicesLike = Pick<MediaDevices, "getUserMedia" | "getDisplayMedia" |
  "enumerateDevices" | "addEventListener" | "removeEventListener">;

/** A track the browser would not give: why, in words for the person, and the DOMException name. */
export class MediaProblem extends Error {
  constructor(readonly source: Source, readonly reason: string, message: string) {
    super(message);
  }
}

const NOUN: Record<Source, string> = {
  microphone: "microphone", camera: "camera", screen: "screen",
};

/** What to tell the person when `source` could not be opened. */
export function problemText(source: Source, reason: string): string {
  const noun = NOUN[source];
  if (source === "screen") {
    if (reason === "NotAllowedError") {
      return "Screen sharing was cancelled or is not allowed on this page.";
    }
    if (reason === "unsupported") return "This browser cannot share its screen.";
    return "Your screen could not be shared. Try again.";
  }
  switch (reason) {
    case "NotAllowedError":
    case "SecurityError":
    case "PermissionDeniedError":
      return `Your browser is blocking the ${noun}. Allow it for this site (the icon in the ` +
        "address bar) and try again.";
    case "NotFoundError":
    case "DevicesNotFoundError":
      return `No ${noun} was found. Connect one and try again.`;
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return `Your ${noun} is in use by another app or could not start. Close the other app ` +
        "and try again.";
    case "OverconstrainedError":
      return `The chosen ${noun} is no longer available. Pick another one.`;
    case "unsupported":
      return "Calls need a secure (https) page in a browser that supports them.";
    case "ended":
      return `Your ${noun} stopped (unplugged or taken by another app).`;
    default:
      return `Your ${noun} could not be started. Try again.`;
  }
}

function reasonOf(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" && name ? name : "error";
}

export function mediaDevices(): MediaDevicesLike | null {
  try {
    return typeof navigator !== "undefined" && navigator.mediaDevices
      ? navigator.mediaDevices : null;
  } catch {
    return null;
  }
}

const CAMERA: MediaTrackConstraints = {
  width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 24, max: 30 },
};
const MICROPHONE: MediaTrackConstraints = {
  echoCancellation: true, noiseSuppression: true, autoGainControl: true,
};

function constraints(source: "microphone" | "camera", deviceId: string | null
): MediaStreamConstraints {
  const base = source === "camera" ? CAMERA : MICROPHONE;
  const track = deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
  return source === "camera" ? { video: track } : { audio: track };
}

/** Labels are empty until the page may use a device; number them meanwhile. */
export function toDevices(infos: readonly MediaDeviceInfo[]): Devices {
  const pick = (kind: MediaDeviceKind, noun: string): Device[] => infos
    .filter((d) => d.kind === kind && d.deviceId)
    .map((d, i) => ({ id: d.deviceId, label: d.label || `${noun} ${i + 1}` }));
  return { microphones: pick("audioinput", "Microphone"), cameras: pick("videoinput", "Camera") };
}

export class LocalMedia {
  private readonly tracks = new Map<Source, MediaStreamTrack>();
  private mutedNow = false;
  /** The browser ended one of our tracks (device unplugged, "Stop sharing" in its bar). */
  onEnded: ((source: Source, track: MediaStreamTrack) => void) | null = null;

  constructor(readonly choice: DeviceChoice = { microphone: null, camera: null },
              private readonly devices: MediaDevicesLike | null = mediaDevices()) {}

  track(source: Source): MediaStreamTrack | null {
    const track = this.tracks.get(source);
    return track && track.readyState === "live" ? track : null;
  }

  get sources(): Source[] {
    return [...this.tracks.keys()].filter((s) => this.track(s) !== null);
  }

  get muted(): boolean {
    return this.mutedNow;
  }

  /** Mute keeps the microphone track (and its sender) and sends silence. */
  setMuted(muted: boolean): void {
    this.mutedNow = muted;
    const mic = this.track("microphone");
    if (mic) mic.enabled = !muted;
  }

  /** The live track of `source`, opened if need be. Throws a MediaProblem. */
  async open(source: Source): Promise<MediaStreamTrack> {
    const live = this.track(source);
    if (live) return live;
    const track = await this.acquire(source, source === "screen" ? null : this.choice[source]);
    this.adopt(source, track);
    return track;
  }

  /** Switches `source` to another device: the new track, and the old one to stop once the
   * sender uses the new one. The choice is kept for the next call. */
  async switchDevice(source: "microphone" | "camera", deviceId: string
  ): Promise<{ track: MediaStreamTrack; old: MediaStreamTrack | null }> {
    const old = this.track(source);
    if (old) old.onended = null;
    let track: MediaStreamTrack;
    try {
      track = await this.acquire(source, deviceId);
    } catch (error) {
      if (old) this.watch(source, old);
      throw error;
    }
    this.choice[source] = track.getSettings().deviceId ?? deviceId;
    this.adopt(source, track);
    return { track, old };
  }

  stop(source: Source): void {
    const track = this.tracks.get(source);
    this.tracks.delete(source);
    if (!track) return;
    track.onended = null;
    track.stop();
  }

  stopAll(): void {
    for (const source of [...this.tracks.keys()]) this.stop(source);
  }

  async list(): Promise<Devices> {
    try {
      return toDevices(await this.devices?.enumerateDevices() ?? []);
    } catch {
      return { microphones: [], cameras: [] };
    }
  }

  /** Calls `changed` when devices come and go; returns the function that stops watching. */
  watchDevices(changed: () => void): () => void {
    const devices = this.devices;
    if (!devices) return () => undefined;
    devices.addEventListener("devicechange", changed);
    return () => devices.removeEventListener("devicechange", changed);
  }

  private adopt(source: Source, track: MediaStreamTrack): void {
    this.tracks.set(source, track);
    if (source === "microphone") track.enabled = !this.mutedNow;
    if (source === "screen") {
      try {
        track.contentHint = "detail"; // text stays sharp; the frame rate gives way instead
      } catch {
        // Not supported: the browser's default.
      }
    }
    this.watch(source, track);
  }

  private watch(source: Source, track: MediaStreamTrack): void {
    track.onended = () => {
      if (this.tracks.get(source) !== track) return;
      this.tracks.delete(source);
      this.onEnded?.(source, track);
    };
  }

  private async acquire(source: Source, deviceId: string | null): Promise<MediaStreamTrack> {
    const devices = this.devices;
    if (!devices || (source === "screen" && typeof devices.getDisplayMedia !== "function")) {
      throw new MediaProblem(source, "unsupported", problemText(source, "unsupported"));
    }
    let stream: MediaStream;
    try {
      stream = source === "screen"
        ? await devices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } },
                                          audio: false })
        : await devices.getUserMedia(constraints(source, deviceId));
    } catch (error) {
      const reason = reasonOf(error);
      // A remembered device that is gone: fall back to the default one.
      if (deviceId && source !== "screen" &&
          (reason === "OverconstrainedError" || reason === "NotFoundError")) {
        this.choice[source] = null;
        return this.acquire(source, null);
      }
      throw new MediaProblem(source, reason, problemText(source, reason));
    }
    const [track, ...extra] = stream.getTracks();
    for (const t of extra) t.stop();
    if (!track) throw new MediaProblem(source, "NotFoundError", problemText(source, "NotFoundError"));
    return track;
  }
}
