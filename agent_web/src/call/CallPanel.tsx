// A conversation's call in the console: the start buttons (voice, video, screen share for a
// product demo), ringing both ways, and the call itself above the transcript — the visitor big,
// us small (mirrored), mute, camera, screen, devices, hang up. Supervisors who joined the chat
// may join its call. The sound plays from the dock (CallDock), so it goes on in other tabs.
import type { JSX } from "preact";
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from "preact/hooks";
import type { CallController } from "../../../cobrowse_js/src/call/controller";
import { attachTrack, layout } from "../../../cobrowse_js/src/call/layout";
import type { CallView } from "../../../cobrowse_js/src/call/session";
import { callDuration, callRecorded, mediaWords } from "../../../cobrowse_js/src/call/stage";
import { describeVideo } from "../../../cobrowse_js/src/call/stats";
import type { RemoteMedia } from "../../../cobrowse_js/src/call/types";
import type { ConvState, Role } from "../state/conversation";
import { namesFromLog } from "../state/transcript";
import { useController } from "../ui/hooks";
import { IconExpand, IconHangUp, IconMic, IconPhone, IconScreen, IconVideo } from "../ui/Icons";
import type { ConsoleCalls } from "./calls";
import { callPause } from "./recording";

/** Re-renders when any call changes. */
export function useCalls(): ConsoleCalls {
  const c = useController();
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => c.calls.subscribe(() => bump(undefined)), [c]);
  return c.calls;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function canCall(role: Role): boolean {
  return role === "assignee" || role === "supervisor";
}

export function Video({ track, mirror, label, testid, source }: {
  track: MediaStreamTrack; mirror?: boolean; label: string; testid: string; source?: string;
}): JSX.Element {
  const ref = useRef<HTMLVideoElement>(null);
  useLayoutEffect(() => attachTrack(ref.current, track), [track]);
  return <video ref={ref} class={mirror ? "mirror" : undefined} autoplay playsInline muted
    aria-label={label} data-testid={testid} data-source={source} />;
}

/** The start buttons, for the conversation header. */
export function CallButtons({ conv, role }: { conv: ConvState; role: Role }): JSX.Element | null {
  const calls = useCalls();
  const id = conv.conversation.id;
  const call = calls.get(id);
  if (conv.conversation.status !== "active" || !canCall(role)) return null;
  if (call && call.state.stage.kind !== "none") return null;
  const elsewhere = calls.busyElsewhere(id);
  const busy = call?.state.busy ?? false;
  const title = elsewhere ? "End your other call first" : undefined;
  const start = (media: "audio" | "video" | "screen") => void calls.start(id, media);
  return (
    <span class="call-start" role="group" aria-label="Call the visitor">
      <button type="button" class="btn btn-ghost" data-testid="call-voice" disabled={elsewhere || busy}
        title={title ?? "Voice call"} onClick={() => start("audio")}><IconPhone size={16} /> Voice</button>
      <button type="button" class="btn btn-ghost" data-testid="call-video" disabled={elsewhere || busy}
        title={title ?? "Video call"} onClick={() => start("video")}><IconVideo size={16} /> Video</button>
      <button type="button" class="btn btn-ghost" data-testid="call-screen" disabled={elsewhere || busy}
        title={title ?? "Show your screen (product demo) with voice"} onClick={() => start("screen")}>
        <IconScreen size={16} /> Screen</button>
    </span>
  );
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** "1280×720 · 20 fps" for the main picture, refreshed every two seconds. */
function useQuality(call: CallController, mid: string | null): string | null {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    if (!mid) {
      setText(null);
      return undefined;
    }
    let stop = false;
    const poll = async () => {
      const stats = await call.callSession?.stats();
      if (!stop) setText(describeVideo(stats?.inbound.find((i) => i.mid === mid)));
    };
    void poll();
    const t = setInterval(() => void poll(), 2_000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [call, mid]);
  return text;
}

/** The assignee pauses the recording while the shopper reads out card details, and resumes it
 * (also one that stopped because it could not be saved, once there is room). */
function RecordingSwitch({ conv, recorded }: { conv: ConvState; recorded: boolean }): JSX.Element | null {
  const ctl = useController();
  const [busy, setBusy] = useState(false);
  const paused = !recorded && callPause(conv.events) !== null;
  if (!recorded && !paused) return null;
  const flip = async (): Promise<void> => {
    setBusy(true);
    try {
      await ctl.connection.request(paused ? "resume_recording" : "pause_recording",
                                   { conversation_id: conv.conversation.id });
    } catch (err) {
      ctl.notify(`The recording could not be ${paused ? "resumed" : "paused"}: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" class="call-rec-switch" data-testid={paused ? "call-resume-recording" : "call-pause-recording"}
      disabled={busy} title={paused ? "Record the call again" : "Stop recording for a moment (card details read out, say); the call goes on"}
      onClick={() => void flip()}>{paused ? "Resume call recording" : "Pause call recording"}</button>
  );
}

function InCall({ call, view, conv, name, meId }: {
  call: CallController; view: CallView; conv: ConvState; name: string; meId: string;
}): JSX.Element {
  const stageRef = useRef<HTMLDivElement>(null);
  const [devices, setDevices] = useState(false);
  const c = conv.conversation;
  const names = namesFromLog(conv.events);
  const nameOf = (m: RemoteMedia) => (m.peerId === c.visitor_id ? name : names[m.peerId] ?? "A colleague");
  const { main, tiles } = layout(view.remote, c.visitor_id);
  const local = view.local;
  const now = useNow(view.phase === "connected");
  const quality = useQuality(call, main?.mid ?? null);
  const stage = call.state.stage;
  const callId = stage.kind === "in-call" ? stage.callId : null;
  const accepted = conv.events.find((e) => e.type === "call_accepted" && e.data.call_id === callId);
  // The conversation's state has the last word: the shopper may have stopped the recording.
  const recorded = (c.call_id === callId ? c.call_recorded : null) ?? callRecorded(conv.events, callId);
  const unsaved = recorded === false && callPause(conv.events) === "storage";
  // The shopper's page lost its connection (their picture freezes; the call waits a while for
  // them): said here, where the agent looks, not only in the conversation's header.
  const away = conv.visitorOnline === false && view.phase !== "reconnecting";
  const status = away ? `${name}'s connection dropped: waiting for them to come back…`
    : view.phase === "connected" ? (accepted ? callDuration(accepted.ts, now) : "Connected")
    : view.phase === "reconnecting" ? "Reconnecting…" : "Connecting…";
  const video = !!main;
  const problem = call.state.problem ?? view.problem;
  return (
    <section class="call-panel" aria-label={`Call with ${name}`} data-testid="call-panel" data-phase={view.phase}>
      <div ref={stageRef} class={`call-stage${video ? "" : " voice"}`}>
        {main ? <Video track={main.track} label={`${nameOf(main)}'s ${main.source === "screen" ? "screen" : "camera"}`}
          testid="call-remote" source={main.source} />
          : <div class="call-voice"><span class="avatar avatar-lg" aria-hidden="true">{name.slice(0, 1).toUpperCase()}</span>
            <span>{name}{view.remote.some((r) => r.kind === "audio") ? "" : " — waiting for them to join…"}</span></div>}
        <div class="call-tiles">
          {tiles.map((t) => <div key={t.trackId} class="call-tile"><Video track={t.track}
            label={`${nameOf(t)}'s ${t.source}`} testid="call-tile" source={t.source} /></div>)}
        </div>
        <div class="call-self">
          {local.screen ? <div class="call-tile" title="Your screen"><Video track={local.screen} label="Your screen"
            testid="call-self-screen" /></div> : null}
          {local.camera ? <div class="call-tile"><Video track={local.camera} mirror label="Your camera" testid="call-self" /></div> : null}
        </div>
        <div class="call-status" role="status" data-testid="call-status">
          <span class={`call-live ${away ? "reconnecting" : view.phase}`} aria-hidden="true" />{status}
          {quality ? <span class="call-quality"> · {quality}</span> : null}
          {view.remoteMuted.length ? <span data-testid="call-remote-muted">
            {" · "}{view.remoteMuted.map((p) => (p === c.visitor_id ? name : names[p] ?? "A colleague")).join(", ")}
            {view.remoteMuted.length === 1 ? " is muted" : " are muted"}</span> : null}
          {recorded !== null
            ? <span data-testid="call-recorded" title={unsaved ? "The recording could not be saved (the server’s disk may be full): the call goes on, unrecorded. Resume to try again." : undefined}>
              {" · "}{recorded ? "Recorded" : unsaved ? "Recording stopped: not saved" : "Not recorded"}</span> : null}
          {recorded !== null && c.agent_id === meId ? <RecordingSwitch conv={conv} recorded={recorded} /> : null}
        </div>
        {main ? <button type="button" class="call-expand" aria-label="Full screen" title="Full screen"
          onClick={() => void stageRef.current?.requestFullscreen?.().catch(() => undefined)}><IconExpand size={16} /></button> : null}
      </div>
      <div class="call-bar" role="group" aria-label="Call controls">
        {/* Named by what it does now (Mute / Unmute), as it reads. */}
        <button type="button" class={`call-ctl${view.muted ? " off" : ""}`} data-testid="call-mute" disabled={!local.microphone} onClick={() => call.setMuted(!view.muted)}>
          <IconMic off={view.muted || !local.microphone} size={16} /> {view.muted ? "Unmute" : "Mute"}</button>
        <button type="button" class={`call-ctl${local.camera ? "" : " off"}`}
          data-testid="call-camera" disabled={view.pending.includes("camera")}
          onClick={() => void call.setSource("camera", !local.camera)}>
          <IconVideo off={!local.camera} size={16} /> {local.camera ? "Camera off" : "Camera on"}</button>
        <button type="button" class={`call-ctl${local.screen ? " on" : ""}`}
          data-testid="call-share" disabled={view.pending.includes("screen")}
          onClick={() => void call.setSource("screen", !local.screen)}>
          <IconScreen size={16} /> {local.screen ? "Stop sharing" : "Share screen"}</button>
        <button type="button" class="call-ctl" aria-expanded={devices} data-testid="call-devices"
          onClick={() => setDevices(!devices)}>Devices</button>
        <button type="button" class="call-ctl hangup" data-testid="call-hangup" onClick={() => void call.hangUp()}>
          <IconHangUp size={16} /> Hang up</button>
      </div>
      {devices ? (
        <div class="call-bar call-devices">
          <label class="call-device"><span>Microphone</span>
            <select data-testid="call-microphone" value={view.microphoneId ?? ""}
              onChange={(e) => void call.useDevice("microphone", e.currentTarget.value)}>
              {view.devices.microphones.length === 0 ? <option value="">No microphone found</option> : null}
              {view.devices.microphones.map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
            </select></label>
          <label class="call-device"><span>Camera</span>
            <select data-testid="call-camera-device" value={view.cameraId ?? ""}
              onChange={(e) => void call.useDevice("camera", e.currentTarget.value)}>
              {view.devices.cameras.length === 0 ? <option value="">No camera found</option> : null}
              {view.devices.cameras.map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
            </select></label>
        </div>
      ) : null}
      {problem ? <p class="call-problem" role="alert" data-testid="call-problem">{problem}</p> : null}
    </section>
  );
}

/** Ringing, the call, or a call to join: above the transcript. */
export function CallPanel({ conv, role, name, meId }: {
  conv: ConvState; role: Role; name: string; meId: string;
}): JSX.Element | null {
  const calls = useCalls();
  const call = calls.get(conv.conversation.id);
  if (!call) return null;
  const s = call.state;
  const c = conv.conversation;
  const problem = s.problem ? <p class="call-problem" role="alert" data-testid="call-problem">{s.problem}</p> : null;
  const words = mediaWords(s.stage.kind === "none" ? null : s.stage.media);
  const assigneeName = c.agent_id === meId ? "you" : (namesFromLog(conv.events)[c.agent_id ?? ""] ?? "the agent");
  switch (s.stage.kind) {
    case "incoming":
      return role === "assignee" ? (
        <div class="call-card call-ring" role="alertdialog" aria-label={`${name} is calling`} data-testid="call-incoming">
          <IconPhone size={20} />
          <div class="call-card-text"><strong>{name} is calling you</strong><span>{capitalised(words)}</span></div>
          <button type="button" class="btn btn-danger" data-testid="call-decline" disabled={s.busy}
            onClick={() => void call.decline()}>Decline</button>
          {s.stage.media === "video" ? <button type="button" class="btn btn-ghost" data-testid="call-accept-voice"
            disabled={s.busy || calls.busyElsewhere(c.id)} onClick={() => void call.accept(false)}>Voice only</button> : null}
          <button type="button" class="btn btn-primary call-accept" data-testid="call-accept"
            disabled={s.busy || calls.busyElsewhere(c.id)} onClick={() => void call.accept(s.stage.kind === "incoming" && s.stage.media === "video")}>
            {s.busy ? "Connecting…" : "Accept"}</button>
          {problem}
        </div>
      ) : <div class="call-card" role="status"><IconPhone size={18} /><div class="call-card-text">
        <strong>{name} is calling {assigneeName}</strong><span>{words}</span></div></div>;
    case "outgoing": {
      const mine = role === "assignee" || Object.keys(s.preview).length > 0;
      return (
        <div class="call-card" role="status" data-testid="call-outgoing">
          {s.preview.camera ? <div class="call-preview"><Video track={s.preview.camera} mirror label="Your camera" testid="call-preview" /></div>
            : <IconPhone size={20} />}
          <div class="call-card-text"><strong>Calling {name}…</strong><span>{capitalised(words)}</span></div>
          {mine ? <button type="button" class="btn btn-danger" data-testid="call-cancel" onClick={() => void call.hangUp()}>Cancel</button> : null}
          {problem}
        </div>
      );
    }
    case "in-call":
      return s.call ? <InCall call={call} view={s.call} conv={conv} name={name} meId={meId} />
        : <div class="call-card" role="status" data-testid="call-joining"><strong>Joining the call…</strong>{problem}</div>;
    case "elsewhere":
      return (
        <div class="call-card" role="status" data-testid="call-elsewhere">
          <IconPhone size={18} />
          <div class="call-card-text">
            <strong>{role === "assignee" ? "Your call is on in another window" : `${name} is on a ${words} with ${assigneeName}`}</strong>
            {problem}
          </div>
          {canCall(role) ? <button type="button" class="btn btn-primary" data-testid="call-join"
            disabled={calls.busyElsewhere(c.id)} onClick={() => call.join()}>{role === "assignee" ? "Join here" : "Join call"}</button> : null}
        </div>
      );
    case "none":
      if (s.busy) return <div class="call-card" role="status" data-testid="call-starting"><strong>Starting the call…</strong></div>;
      return problem ? <div class="call-card call-card-problem">{problem}</div> : null;
  }
}
