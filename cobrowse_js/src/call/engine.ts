// The seam between a call's screen and its engine: what the UI reads (CallState) and may ask
// (CallEngine). The console uses CallController directly; the widget first talks to a small
// stand-in (lazy.ts) that loads the engine (aisle-call.js) when a call needs it.

import type {
  AnswerCall, CallAnswer, CallCandidate, CallOffer, CallStarted, ConversationRef, Empty, Joined,
  SetMuted, StartCall,
} from "../protocol.gen";
import type { MediaDevicesLike } from "./media";
import type { CallView } from "./session";
import type { CallFields, CallStage, Side } from "./stage";
import type { CallStore } from "./store";
import type { CallMedia, Source } from "./types";

/** The call requests, alike in /visitor and /agent. */
export interface CallRequests {
  start_call: { request: StartCall; result: CallStarted };
  answer_call: { request: AnswerCall; result: Empty };
  join_call: { request: ConversationRef; result: Joined };
  call_offer: { request: CallOffer; result: CallAnswer };
  call_candidate: { request: CallCandidate; result: Empty };
  hang_up: { request: ConversationRef; result: Empty };
  set_call_muted: { request: SetMuted; result: Empty };
}

export type CallRequester = <K extends keyof CallRequests>(
  event: K, payload: CallRequests[K]["request"], timeoutMs?: number,
) => Promise<CallRequests[K]["result"]>;

export interface CallState {
  stage: CallStage;
  /** Opening devices or waiting for the server before ringing or answering. */
  busy: boolean;
  /** Our tracks while ringing out: the camera preview, the screen about to be shown. */
  preview: Partial<Record<Source, MediaStreamTrack>>;
  /** A sentence for the person; cleared by their next action. */
  problem: string | null;
  /** The connection's view while this page is in the call. */
  call: CallView | null;
}

export interface CallControllerOptions {
  conversationId: string;
  side: Side;
  request: CallRequester;
  /** Signaling is connected (joining needs it). */
  connected(): boolean;
  store: CallStore;
  /** The browser's by default (tests pass fakes). */
  createPeer?: (config: RTCConfiguration) => RTCPeerConnection;
  mediaDevices?: MediaDevicesLike | null;
}

export interface CallEngine {
  readonly conversationId: string;
  readonly state: CallState;
  subscribe(listener: () => void): () => void;
  /** The conversation's call fields changed. */
  update(fields: CallFields | null): void;
  /** Signaling (re)connected. */
  connected(): void;
  /** A notification (`call_remote_tracks`, `call_peer_failed`; others are ignored). */
  notify(event: string, data: unknown): void;
  /** `record`: the shopper's consent to recording, where the site asks for it. */
  start(media: CallMedia, record?: boolean): Promise<boolean>;
  accept(video: boolean, record?: boolean): Promise<boolean>;
  decline(): Promise<void>;
  hangUp(): Promise<void>;
  join(): void;
  setMuted(muted: boolean): void;
  setSource(source: Source, on: boolean): Promise<void>;
  useDevice(source: "microphone" | "camera", deviceId: string): Promise<void>;
  close(): void;
}

/** Where aisle-call.js leaves its factory (a symbol: no new global name on the store's page). */
export const ENGINE_KEY = Symbol.for("aisle.call.v1");

export type EngineFactory = (options: CallControllerOptions) => CallEngine;
