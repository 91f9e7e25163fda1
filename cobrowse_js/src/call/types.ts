// The words of a call, shared by the widget and the console: sources and kinds, what the
// client asks of signaling (one conversation's call requests, whichever namespace), and the
// remote media a participant shows.

import type {
  CallAnswer, IceServer, Joined, ReceiveSlot, RemoteTrack, TrackSource,
} from "../protocol.gen";

export type { CallAnswer, IceServer, Joined, ReceiveSlot, RemoteTrack, TrackSource };

export type Source = "microphone" | "camera" | "screen";
export type Kind = "audio" | "video";
export type CallMedia = "audio" | "video" | "screen";

export const KIND_OF: Readonly<Record<Source, Kind>> = {
  microphone: "audio", camera: "video", screen: "video",
};

/** What the side that rings publishes for a call of this media (the side that answers opens
 * its microphone, and its camera if it answers with video). */
export function callerSources(media: CallMedia): Source[] {
  if (media === "video") return ["microphone", "camera"];
  if (media === "screen") return ["microphone", "screen"];
  return ["microphone"];
}

/** An ICE candidate as the server takes it; `candidate: ""` ends gathering. */
export interface Candidate {
  candidate: string;
  sdp_mid: string | null;
  sdp_mline_index: number | null;
}

/** One participant's call requests, bound to its conversation (the /visitor and /agent
 * namespaces name and shape them alike). Rejections carry the server's error `code`. */
export interface CallSignal {
  join(): Promise<Joined>;
  offer(sdp: string, sources: TrackSource[]): Promise<CallAnswer>;
  candidate(candidate: Candidate): Promise<void>;
  /** Tells the others this participant muted or unmuted (`set_call_muted`). */
  muted(muted: boolean): Promise<void>;
}

/** A remote participant's track, on the receive slot (`mid`) the server's answer put it. */
export interface RemoteMedia {
  trackId: string;
  peerId: string;
  source: Source;
  kind: Kind;
  mid: string;
  track: MediaStreamTrack;
}

/** The server's error code of a failed request, if it has one. */
export function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : null;
}
