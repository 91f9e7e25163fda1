// Always on screen while calls need the agent, whatever view or tab they are on: a visitor
// ringing in a conversation not in front of them, a small bar for the call they are in while
// they work elsewhere, and the call's sound (so switching tabs never cuts the audio).
import type { JSX } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { layout } from "../../../cobrowse_js/src/call/layout";
import { mediaWords } from "../../../cobrowse_js/src/call/stage";
import type { RemoteMedia } from "../../../cobrowse_js/src/call/types";
import type { AppState } from "../state/app";
import { visitorLabel } from "../state/conversation";
import { useController } from "../ui/hooks";
import { IconHangUp, IconMic, IconPhone } from "../ui/Icons";
import { useCalls } from "./CallPanel";

function Sound({ media }: { media: RemoteMedia }): JSX.Element {
  const ref = useRef<HTMLAudioElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([media.track]);
    el.play().catch(() => undefined); // the agent clicked to join: autoplay is allowed
  }, [media.track]);
  return <audio ref={ref} autoplay data-testid="call-audio" />;
}

export function CallDock({ state }: { state: AppState }): JSX.Element | null {
  const c = useController();
  const calls = useCalls();
  const me = state.me;
  if (!me) return null;
  const looking = (id: string) => state.view === "inbox" && state.activeTab === id;
  const current = calls.current();
  const audio = current?.state.call ? layout(current.state.call.remote).audio : [];
  const rings = state.tabs.flatMap((id) => {
    const held = state.convs[id];
    const call = calls.get(id);
    if (!held || !call || looking(id) || held.conversation.agent_id !== me.id) return [];
    return call.state.stage.kind === "incoming" ? [{ id, held, call }] : [];
  });
  const currentConv = current ? state.convs[current.conversationId] : undefined;
  const view = current?.state.call;
  return (
    <div class="call-dock">
      {rings.map(({ id, held, call }) => {
        const name = visitorLabel(held.conversation, state.visitors[held.conversation.visitor_id]?.visitor.name);
        return (
          <div key={id} class="call-card call-ring" role="alertdialog" aria-label={`${name} is calling`} data-testid="call-dock-incoming">
            <IconPhone size={20} />
            <div class="call-card-text"><strong>{name} is calling you</strong>
              <span>{call.state.stage.kind === "incoming" ? mediaWords(call.state.stage.media) : ""}</span></div>
            <button type="button" class="btn btn-ghost btn-sm" onClick={() => c.dispatch({ type: "tab_focus", id })}>Show</button>
            <button type="button" class="btn btn-danger btn-sm" onClick={() => void call.decline()}>Decline</button>
            <button type="button" class="btn btn-primary btn-sm" disabled={calls.busyElsewhere(id)}
              onClick={() => { c.dispatch({ type: "tab_focus", id }); void call.accept(call.state.stage.kind === "incoming" && call.state.stage.media === "video"); }}>Accept</button>
          </div>
        );
      })}
      {current && currentConv && view && !looking(current.conversationId) ? (
        <div class="call-card call-mini" role="status" data-testid="call-dock-bar">
          <span class={`call-live ${view.phase}`} aria-hidden="true" />
          <div class="call-card-text"><strong>On a call with {visitorLabel(currentConv.conversation,
            state.visitors[currentConv.conversation.visitor_id]?.visitor.name)}</strong></div>
          <button type="button" class={`btn btn-ghost btn-sm${view.muted ? " off" : ""}`}
            onClick={() => current.setMuted(!view.muted)}><IconMic off={view.muted} size={14} /> {view.muted ? "Unmute" : "Mute"}</button>
          <button type="button" class="btn btn-ghost btn-sm" onClick={() => c.dispatch({ type: "tab_focus", id: current.conversationId })}>Back to call</button>
          <button type="button" class="btn btn-danger btn-sm" aria-label="Hang up" onClick={() => void current.hangUp()}><IconHangUp size={14} /></button>
        </div>
      ) : null}
      {audio.map((a) => <Sound key={a.trackId} media={a} />)}
    </div>
  );
}
