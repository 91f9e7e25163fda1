// The top bar: brand, connection state, the agent's status, sound, who is signed in.
import type { JSX } from "preact";
import type { AgentInfo } from "../protocol.gen";
import type { Connection } from "../state/app";
import { servingNow, visitorLabel } from "../state/conversation";
import { handBackPlan, handBackText } from "../state/handback";
import { Avatar } from "./Avatar";
import { Dialog } from "./Dialog";
import { useController } from "./hooks";
import { IconBell, IconBellOff, IconLogout } from "./Icons";
import { useState } from "preact/hooks";

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  disconnected: "Disconnected",
};

export function Header({ me, connection }: { me: AgentInfo; connection: Connection }): JSX.Element {
  const c = useController();
  const [muted, setMuted] = useState(c.chime.muted);
  // Going away or offline while serving shoppers: keep the chats, or hand them back.
  const [leaving, setLeaving] = useState<AgentInfo["status"] | null>(null);
  const serving = servingNow(c.state.convs, me.id);
  const choose = (status: AgentInfo["status"]): void => {
    if (status !== "online" && serving.length > 0) {
      setLeaving(status);
      void c.actions.loadColleagues();  // who could take them, for the dialog's wording
    } else void c.actions.setStatus(status);
  };
  const plan = handBackPlan(c.state.colleagues, me.id, serving.map((conv) => (
    { name: visitorLabel(conv), team: conv.team })));
  // The likely choice stands out: with someone who would be told nobody is there, keeping them.
  const keepFirst = plan !== null && plan.toMessage.length > 0;
  const toggleSound = (): void => {
    c.chime.muted = !c.chime.muted;
    setMuted(c.chime.muted);
    try {
      localStorage.setItem("aisle.console.muted", c.chime.muted ? "1" : "0");
    } catch {
      // Not kept: fine.
    }
  };
  return (<>
    <header class="topbar">
      <div class="brand"><span class="brand-mark" aria-hidden="true">A</span> Aisle</div>
      <div class="topbar-spacer" />
      <span class={`conn conn-${connection}`} role="status" aria-live="polite" data-testid="connection">
        <span class="conn-dot" aria-hidden="true" />{CONNECTION_TEXT[connection]}
      </span>
      <label class={`status-select status-${me.status}`}>
        <span class="visually-hidden">Your status</span>
        <span class={`dot dot-${me.status}`} aria-hidden="true" />
        <select id="status" value={me.status}
          onChange={(e) => {
            const status = e.currentTarget.value as AgentInfo["status"];
            e.currentTarget.value = me.status;  // until it is done
            choose(status);
          }}>
          <option value="online">Online</option>
          <option value="away">Away</option>
          <option value="offline">Offline</option>
        </select>
      </label>
      <button class="icon-btn" type="button" onClick={toggleSound} aria-pressed={!muted}
        title={muted ? "Sounds off" : "Sounds on"} aria-label="Notification sounds">
        {muted ? <IconBellOff /> : <IconBell />}
      </button>
      <button class="me-btn" type="button" onClick={() => c.dispatch({ type: "view", view: "profile" })}
        title="Your profile">
        <Avatar name={me.display_name} photo={me.photo_url} size={30} />
        <span class="me-name">{me.display_name}</span>
      </button>
      <button class="icon-btn" type="button" onClick={() => c.connection.logout()} aria-label="Sign out" title="Sign out">
        <IconLogout />
      </button>
    </header>
    {/* Outside the top bar, whose stacking would put offer cards above the backdrop. */}
    {leaving ? (
        <Dialog title={leaving === "away" ? "Go away?" : "Go offline?"} onClose={() => setLeaving(null)} footer={<>
          {/* Cancel has the focus: an arrow key on the status menu brings this up at once. */}
          <button type="button" class="btn btn-ghost" data-autofocus onClick={() => setLeaving(null)}>Cancel</button>
          <button type="button" class={keepFirst ? "btn btn-primary" : "btn"}
            data-testid="status-keep"
            onClick={() => { setLeaving(null); void c.actions.setStatus(leaving); }}>Keep them</button>
          <button type="button" class={keepFirst ? "btn" : "btn btn-primary"}
            data-testid="status-hand-back"
            onClick={() => { setLeaving(null); void c.actions.setStatus(leaving, true); }}>Hand them back</button>
        </>}>
          <fieldset class="segmented">
            <legend class="visually-hidden">New status</legend>
            {(["away", "offline"] as const).map((s) => (
              <label class={leaving === s ? "active" : ""}>
                <input type="radio" name="leaving" value={s} checked={leaving === s}
                  onChange={() => setLeaving(s)} /> {s === "away" ? "Away" : "Offline"}
              </label>
            ))}
          </fieldset>
          <p>
            You are serving {serving.length === 1 ? "1 shopper" : `${serving.length} shoppers`}:{" "}
            {serving.map((conv) => visitorLabel(conv)).join(", ")}.
          </p>
          <p data-testid="hand-back-text">{handBackText(plan)}</p>
        </Dialog>
      ) : null}
  </>);
}
