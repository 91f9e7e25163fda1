// The top bar: brand, connection state, the agent's status, sound, who is signed in.
import type { JSX } from "preact";
import type { AgentInfo } from "../protocol.gen";
import type { Connection } from "../state/app";
import { Avatar } from "./Avatar";
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
  const toggleSound = (): void => {
    c.chime.muted = !c.chime.muted;
    setMuted(c.chime.muted);
    try {
      localStorage.setItem("aisle.console.muted", c.chime.muted ? "1" : "0");
    } catch {
      // Not kept: fine.
    }
  };
  return (
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
          onChange={(e) => void c.actions.setStatus(e.currentTarget.value as AgentInfo["status"])}>
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
  );
}
