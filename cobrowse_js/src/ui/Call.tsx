// The shopper's side of a call, inside the chat panel: the call buttons in the header, the
// incoming call (who, what, Accept / Decline), ringing out with a camera preview, and the call
// itself — the other side big, us small (mirrored), mute, camera, screen share (with a notice
// before the browser's picker), devices, hang up — and what went wrong, in words.

import { createContext } from "preact";
import { useContext, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

import type { CallState } from "../call/engine";
import { attachTrack, layout } from "../call/layout";
import type { CallView } from "../call/session";
import { callDuration, callPause, callRecorded, mediaWords } from "../call/stage";
import type { RemoteMedia } from "../call/types";
import type { Controller } from "../controller";
import type { SiteConfig } from "../protocol.gen";
import { agentNames } from "../state/transcript";
import type { WidgetState } from "../state/widget";
import { useFocusWhenGone } from "./focus";
import {
  ExpandIcon, GearIcon, HangUpIcon, MicIcon, PhoneIcon, ScreenIcon, VideoIcon,
} from "./icons";
import { Avatar } from "./Panel";

interface Props {
  controller: Controller;
  state: WidgetState;
}

function canShareScreen(): boolean {
  try {
    return typeof navigator.mediaDevices?.getDisplayMedia === "function";
  } catch {
    return false;
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The site records calls only with the shopper's consent: they choose before it rings. */
function asksConsent(site: SiteConfig | null): boolean {
  return Boolean(site?.recording.calls && site.recording.mode === "consent");
}

/** What the shopper is told about recording where the site records calls without asking. */
function recordingNote(site: SiteConfig | null): string | null {
  return site?.recording.calls && !asksConsent(site) ? "This call is recorded." : null;
}

function RecordChoice({ record, set }: { record: boolean; set: (on: boolean) => void }) {
  return (
    <label class="call-record">
      <input type="checkbox" checked={record} data-testid="aisle-call-record"
             onChange={(e) => set((e.currentTarget as HTMLInputElement).checked)} />
      Record this call for training and quality (optional)
    </label>
  );
}

/** The voice and video buttons of the chat header. */
export function CallButtons({ controller, state }: Props) {
  const calls = controller.call;
  const conv = state.conversation;
  if (!calls || conv?.status !== "active" || calls.state.stage.kind !== "none") return null;
  const busy = calls.state.busy;
  // Where the site asks for consent to recording, the call is confirmed in the call area.
  const place = (media: "audio" | "video") =>
    asksConsent(state.site) ? calls.intend(media) : void calls.start(media);
  return (
    <>
      <button type="button" class="icon-btn" aria-label="Start a voice call" title="Voice call"
              data-testid="aisle-call-voice" disabled={busy}
              onClick={() => place("audio")}><PhoneIcon /></button>
      <button type="button" class="icon-btn" aria-label="Start a video call" title="Video call"
              data-testid="aisle-call-video" disabled={busy}
              onClick={() => place("video")}><VideoIcon /></button>
    </>
  );
}

function Video({ track, mirror, label, testid, source }: {
  track: MediaStreamTrack; mirror?: boolean; label: string; testid: string; source?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useLayoutEffect(() => attachTrack(ref.current, track), [track]);
  return <video ref={ref} class={mirror ? "mirror" : undefined} autoplay playsInline muted
                aria-label={label} data-testid={testid} data-source={source} />;
}

/** Whether the browser refused to play the call's sound, and a way to ask again (a click is
 * a gesture it accepts). */
export interface CallSoundState {
  blocked: boolean;
  unblock(): void;
}
export const CallSoundContext = createContext<CallSoundState>({ blocked: false, unblock: () => undefined });

/** The call's sound, outside the panel: minimising the chat (on a phone, the only way to see
 * the page the agent is showing) must not silence the agent. */
export function CallSound({ controller, state, blocked }: Props & { blocked: (b: boolean) => void }) {
  const calls = controller.call;
  const view = calls?.state.stage.kind === "in-call" ? calls.state.call : null;
  const agentId = state.conversation?.agent?.id ?? null;
  useEffect(() => {
    if (!view) blocked(false);
  }, [view === null]);
  if (!view) return null;
  const { audio } = layout(view.remote, agentId);
  return <>{audio.map((a) => <Sound key={a.trackId} media={a} blocked={blocked} />)}</>;
}

/** Remote sound; browsers may refuse to play it before the person touched the page. */
function Sound({ media, blocked }: { media: RemoteMedia; blocked: (b: boolean) => void }) {
  const ref = useRef<HTMLAudioElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([media.track]);
    el.play().then(() => blocked(false), () => blocked(true));
  }, [media.track]);
  return <audio ref={ref} autoplay data-testid="aisle-call-audio" />;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function Devices({ controller, view }: { controller: Controller; view: CallView }) {
  const calls = controller.call;
  if (!calls) return null;
  const { microphones, cameras } = view.devices;
  return (
    <div class="call-devices" data-testid="aisle-call-devices">
      <label>
        <span>Microphone</span>
        <select value={view.microphoneId ?? ""} data-testid="aisle-call-microphone"
                onChange={(e) => void calls.useDevice("microphone", e.currentTarget.value)}>
          {microphones.length === 0 && <option value="">No microphone found</option>}
          {microphones.map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
        </select>
      </label>
      <label>
        <span>Camera</span>
        <select value={view.cameraId ?? ""} data-testid="aisle-call-camera-device"
                onChange={(e) => void calls.useDevice("camera", e.currentTarget.value)}>
          {cameras.length === 0 && <option value="">No camera found</option>}
          {cameras.map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
        </select>
      </label>
    </div>
  );
}

function InCall({ controller, state, cs, view }: Props & { cs: CallState; view: CallView }) {
  const calls = controller.call!;
  const conv = state.conversation;
  const agent = conv?.agent ?? null;
  const agentName = agent?.display_name ?? "The agent";
  const names = state.transcript ? agentNames(state.transcript) : new Map<string, string>();
  const [devicesOpen, setDevicesOpen] = useState(false);
  const [consent, setConsent] = useState(false);
  const sound = useContext(CallSoundContext);
  const stage = useRef<HTMLDivElement>(null);
  const now = useNow(view.phase === "connected");
  const callId = cs.stage.kind === "in-call" ? cs.stage.callId : null;
  const accepted = state.transcript?.events.find((e) => e.type === "call_accepted" &&
                                                  e.data.call_id === callId);
  const { main, tiles } = layout(view.remote, agent?.id ?? null);
  const local = view.local;
  const nameOf = (m: RemoteMedia) => names.get(m.peerId) ?? agentName;
  const status = view.phase === "connected"
    ? (accepted ? callDuration(accepted.ts, now) : "Connected")
    : view.phase === "reconnecting" ? "Reconnecting…" : "Connecting…";
  // What the conversation says of this call wins over the site's notice (the shopper's own
  // answer, or their stopping the recording since).
  const logged = conv?.call_recorded ?? callRecorded(state.transcript?.events, callId);
  // Where the site records calls without asking, only the agent or a full disk stops it.
  const failed = logged === false && callPause(state.transcript?.events, callId) === "storage";
  const recorded = logged === null ? recordingNote(state.site) : logged ? "This call is recorded." : null;
  const [stopping, setStopping] = useState(false);
  // "Stop recording" goes once done: the status line (now "Not recorded") takes the focus.
  const statusLine = useRef<HTMLDivElement>(null);
  const goes = useFocusWhenGone(statusLine);
  const problem = cs.problem ?? view.problem;
  const video = !!main;

  return (
    <div class="call" data-testid="aisle-call" data-phase={view.phase}>
      <div ref={stage} class={`stage${video ? "" : " voice"}`}>
        {main
          ? <Video track={main.track} label={`${nameOf(main)}'s ${main.source === "screen"
              ? "screen" : "camera"}`} testid="aisle-call-remote" source={main.source} />
          : (
            <div class="voice-who">
              {agent && <Avatar agent={agent} base={controller.base} />}
              <span>{agentName}</span>
            </div>
          )}
        {tiles.map((t) => (
          <div key={t.trackId} class="tile">
            <Video track={t.track} label={`${nameOf(t)}'s ${t.source}`}
                   testid="aisle-call-tile" source={t.source} />
          </div>
        ))}
        {local.camera && (
          <div class="self">
            <Video track={local.camera} mirror label="Your camera" testid="aisle-call-self" />
          </div>
        )}
        <div ref={statusLine} class="call-status" role="status" tabIndex={-1}
             data-testid="aisle-call-status">
          <span class={`live ${view.phase}`} aria-hidden="true" />{status}
          {view.remoteMuted.length > 0 && (
            <span class="rec" data-testid="aisle-call-remote-muted">
              {" · "}{view.remoteMuted.map((p) => names.get(p) ?? agentName).join(", ")}
              {view.remoteMuted.length === 1 ? " is muted" : " are muted"}</span>
          )}
          {recorded && <span class="rec" title={recorded}> · Recorded</span>}
          {recorded && asksConsent(state.site) && (
            // aria-disabled, not disabled: a disabled button drops the focus on the page.
            <button ref={goes} type="button" class="rec-stop" aria-disabled={stopping}
                    data-testid="aisle-call-stop-recording"
                    title="The call goes on without being recorded"
                    onClick={() => {
                      if (stopping) return;
                      setStopping(true);
                      void controller.stopRecording("call").finally(() => setStopping(false));
                    }}>Stop recording</button>
          )}
          {logged === false && asksConsent(state.site) && (
            <span class="rec" data-testid="aisle-call-not-recorded"> · Not recorded</span>
          )}
          {logged === false && recordingNote(state.site) && (failed
            ? <span class="rec" data-testid="aisle-call-not-recorded"
                    title="The recording could not be saved; the call goes on"> · Not recorded</span>
            : <span class="rec" data-testid="aisle-call-not-recorded"
                    title="The agent paused the recording; the call goes on"> · Recording paused</span>
          )}
        </div>
        {main && (
          <button type="button" class="expand" aria-label="Full screen" title="Full screen"
                  onClick={() => void stage.current?.requestFullscreen?.().catch(() => undefined)}>
            <ExpandIcon />
          </button>
        )}
      </div>
      <div class="controls" role="group" aria-label="Call controls">
        <button type="button" class={`ctl${view.muted ? " off" : ""}`} aria-pressed={view.muted}
                aria-label="Mute" title={view.muted ? "Unmute" : "Mute"}
                data-testid="aisle-call-mute" disabled={!local.microphone}
                onClick={() => calls.setMuted(!view.muted)}>
          <MicIcon off={view.muted || !local.microphone} />
        </button>
        <button type="button" class={`ctl${local.camera ? "" : " off"}`}
                aria-label={local.camera ? "Turn camera off" : "Turn camera on"}
                title={local.camera ? "Turn camera off" : "Turn camera on"}
                data-testid="aisle-call-camera" disabled={view.pending.includes("camera")}
                onClick={() => void calls.setSource("camera", !local.camera)}>
          <VideoIcon off={!local.camera} />
        </button>
        {canShareScreen() && (
          <button type="button" class={`ctl${local.screen ? " on" : ""}`}
                  aria-label={local.screen ? "Stop sharing your screen" : "Share your screen"}
                  title={local.screen ? "Stop sharing your screen" : "Share your screen"}
                  data-testid="aisle-call-screen" disabled={view.pending.includes("screen")}
                  onClick={() => (local.screen ? void calls.setSource("screen", false)
                    : setConsent(true))}>
            <ScreenIcon />
          </button>
        )}
        <button type="button" class="ctl" aria-expanded={devicesOpen}
                aria-label="Microphone and camera" title="Microphone and camera"
                data-testid="aisle-call-settings" onClick={() => setDevicesOpen(!devicesOpen)}>
          <GearIcon />
        </button>
        <button type="button" class="ctl hangup" aria-label="Hang up" title="Hang up"
                data-testid="aisle-call-hangup" onClick={() => void calls.hangUp()}>
          <HangUpIcon />
        </button>
      </div>
      {devicesOpen && <Devices controller={controller} view={view} />}
      {consent && !local.screen && (
        <div class="call-note" role="alertdialog" aria-label="Share your screen?"
             data-testid="aisle-call-screen-consent">
          <p><strong>Show your screen to {agentName}?</strong> They will see the screen,
            window or tab you choose until you stop. Close anything private first (passwords,
            card numbers).</p>
          <div class="call-actions">
            <button type="button" class="call-btn" onClick={() => setConsent(false)}>Cancel</button>
            <button type="button" class="call-btn accept" data-testid="aisle-call-screen-share"
                    onClick={() => { setConsent(false); void calls.setSource("screen", true); }}>
              Choose what to share</button>
          </div>
        </div>
      )}
      {local.screen && (
        <div class="call-note sharing" role="status" data-testid="aisle-call-sharing">
          <span>You're showing your screen to {agentName}.</span>
          <button type="button" class="call-btn"
                  onClick={() => void calls.setSource("screen", false)}>Stop showing my screen</button>
        </div>
      )}
      {sound.blocked && (
        <div class="call-note" role="status">
          <span>Your browser paused the sound.</span>
          <button type="button" class="call-btn accept" data-testid="aisle-call-sound-on"
                  onClick={() => sound.unblock()}>Turn sound on</button>
        </div>
      )}
      {problem && <p class="call-problem" role="alert" data-testid="aisle-call-problem">{problem}</p>}
    </div>
  );
}

export function CallArea({ controller, state }: Props) {
  const calls = controller.call;
  // The shopper's consent to recording, where the site asks for it (off until they tick it).
  const [record, setRecord] = useState(false);
  const consent = asksConsent(state.site);
  if (!calls) return null;
  const cs = calls.state;
  const agent = state.conversation?.agent ?? null;
  const agentName = agent?.display_name ?? "The agent";
  const stage = cs.stage;
  const problemLine = cs.problem
    ? <p class="call-problem" role="alert" data-testid="aisle-call-problem">{cs.problem}</p> : null;

  switch (stage.kind) {
    case "incoming": {
      const screen = stage.media === "screen";
      const recorded = recordingNote(state.site);
      return (
        <div class="call-card ring" role="alertdialog" aria-labelledby="aisle-call-title"
             data-testid="aisle-call-incoming" data-media={stage.media}>
          <div class="call-who">
            {agent && <Avatar agent={agent} base={controller.base} />}
            <div>
              <strong id="aisle-call-title">{screen ? `${agentName} wants to show you their screen`
                : `${agentName} is calling you`}</strong>
              <p>{screen ? "Screen share with voice" : capitalised(mediaWords(stage.media))}
                {recorded ? ` · ${recorded}` : ""}</p>
            </div>
          </div>
          {consent && <RecordChoice record={record} set={setRecord} />}
          <div class="call-actions">
            <button type="button" class="call-btn decline" data-testid="aisle-call-decline"
                    disabled={cs.busy} onClick={() => void calls.decline()}>Decline</button>
            {stage.media === "video" && (
              <button type="button" class="call-btn" data-testid="aisle-call-accept-voice"
                      disabled={cs.busy}
                      onClick={() => void calls.accept(false, consent && record)}>Voice only</button>
            )}
            <button type="button" class="call-btn accept" data-testid="aisle-call-accept"
                    disabled={cs.busy} data-autofocus=""
                    onClick={() => void calls.accept(stage.media === "video", consent && record)}>
              {cs.busy ? "Connecting…" : "Accept"}</button>
          </div>
          {problemLine}
        </div>
      );
    }
    case "outgoing":
      return (
        <div class="call-card" role="status" data-testid="aisle-call-outgoing">
          <div class="call-who">
            {cs.preview.camera
              ? <div class="preview"><Video track={cs.preview.camera} mirror label="Your camera"
                                            testid="aisle-call-preview" /></div>
              : agent && <Avatar agent={agent} base={controller.base} />}
            <div>
              <strong><span class="pulse" aria-hidden="true" />Calling {agentName}…</strong>
              <p>{capitalised(mediaWords(stage.media))}
                {recordingNote(state.site) ? " · This call is recorded." : ""}</p>
            </div>
          </div>
          <div class="call-actions">
            <button type="button" class="call-btn decline" data-testid="aisle-call-cancel"
                    onClick={() => void calls.hangUp()}>Cancel</button>
          </div>
        </div>
      );
    case "in-call":
      return cs.call ? <InCall controller={controller} state={state} cs={cs} view={cs.call} />
        : <div class="call-card" role="status" data-testid="aisle-call-joining">
            <strong>Joining the call…</strong>{problemLine}</div>;
    case "elsewhere":
      return (
        <div class="call-card" role="status" data-testid="aisle-call-elsewhere">
          <div class="call-who"><div>
            <strong>Your call with {agentName} is on in another tab or window</strong>
            {problemLine}
          </div></div>
          <div class="call-actions">
            <button type="button" class="call-btn accept" data-testid="aisle-call-join"
                    onClick={() => calls.join()}>Join here</button>
          </div>
        </div>
      );
    case "none": {
      if (cs.busy) {
        return <div class="call-card" role="status" data-testid="aisle-call-starting">
          <strong><span class="pulse" aria-hidden="true" />Starting the call…</strong></div>;
      }
      const intent = calls.intent;
      if (intent) {
        return (
          <div class="call-card" role="alertdialog" aria-labelledby="aisle-call-confirm-title"
               data-testid="aisle-call-confirm">
            <strong id="aisle-call-confirm-title">
              {capitalised(mediaWords(intent))} with {agentName}?</strong>
            <RecordChoice record={record} set={setRecord} />
            <div class="call-actions">
              <button type="button" class="call-btn" onClick={() => calls.intend(null)}>
                Cancel</button>
              <button type="button" class="call-btn accept" data-testid="aisle-call-place"
                      data-autofocus="" onClick={() => void calls.start(intent, record)}>
                Call</button>
            </div>
          </div>
        );
      }
      return problemLine ? <div class="call-card problem-only">{problemLine}</div> : null;
    }
  }
}
