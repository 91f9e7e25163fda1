// The supervisors' live picture: queues per team with waiting times, agents with status and
// load, and the conversations going on (observe read-only, or join).
import type { JSX } from "preact";
import { useEffect } from "preact/hooks";
import type { AgentInfo, Dashboard, TeamQueue } from "../protocol.gen";
import { shopperName } from "../state/conversation";
import { formatDuration, formatWhen, waitedSeconds } from "../state/time";
import { Avatar } from "./Avatar";
import { useController, useServerNow, useTopicLabel } from "./hooks";
import { IconClock, IconEye, IconJoin } from "./Icons";

function Kpi({ label, value, tone }: { label: string; value: string; tone?: "warn" }): JSX.Element {
  return <div class={`kpi${tone ? ` kpi-${tone}` : ""}`}><div class="kpi-value">{value}</div><div class="kpi-label">{label}</div></div>;
}

/** Free places among the team's agents who take chats now (online, connected). */
export function freeSlots(team: string, agents: readonly AgentInfo[]): number {
  return agents.filter((a) => a.connected && a.status === "online" && a.teams.includes(team))
    .reduce((n, a) => n + Math.max(0, a.max_concurrent - a.load), 0);
}

function QueueCard({ q, now, free }: { q: TeamQueue; now: number; free: number }): JSX.Element {
  const topic = useTopicLabel();
  const longest = Math.max(0, ...q.waiting.map((w) => waitedSeconds(w.queued_at ?? w.created_at, now)));
  return (
    <section class="card queue-card" aria-labelledby={`q-${q.team}`} data-team={q.team}>
      <div class="queue-card-head">
        <h3 id={`q-${q.team}`}>{q.team}</h3>
        <span class={`count-pill${q.waiting.length ? " count-warn" : ""}`} data-testid="team-waiting">{q.waiting.length} waiting</span>
      </div>
      <div class="queue-card-stats">
        <span><strong>{q.online_agents}</strong> online</span>
        <span data-testid="team-free" title="Places free among the agents taking chats, of all their places">
          <strong>{free}</strong> of {q.capacity} free</span>
        <span class={longest >= 120 ? "wait-long" : ""}><IconClock size={13} /> {q.waiting.length ? formatDuration(longest) : "—"}</span>
      </div>
      {q.waiting.length ? (
        <ul class="mini-list">
          {q.waiting.map((w) => (
            <li key={w.id}><span>{shopperName(w)}</span><span class="muted">{topic(w)}</span>
              <span class="wait-time">{formatDuration(waitedSeconds(w.queued_at ?? w.created_at, now))}</span></li>
          ))}
        </ul>
      ) : <p class="empty-small">Nobody waiting.</p>}
    </section>
  );
}

function AgentRow({ a }: { a: AgentInfo }): JSX.Element {
  const status = a.connected ? a.status : "offline";
  const pct = a.max_concurrent ? Math.min(100, Math.round((a.load / a.max_concurrent) * 100)) : 0;
  return (
    <tr data-agent={a.login}>
      <td><span class="agent-cell"><Avatar name={a.display_name} photo={a.photo_url} size={28} status={status} />
        <span><strong>{a.display_name}</strong><span class="muted small"> {a.role !== "agent" ? a.role : ""}</span></span></span></td>
      <td><span class={`status-chip st-agent-${status}`} data-testid="agent-status">{a.connected ? a.status : a.status === "offline" ? "offline" : `${a.status} · disconnected`}</span></td>
      <td>
        <span class="load"><span class="load-bar" aria-hidden="true"><span style={{ width: `${pct}%` }} /></span>
          <span data-testid="agent-load">{a.load}/{a.max_concurrent}</span></span>
      </td>
      <td class="muted">{a.teams.join(", ")}</td>
    </tr>
  );
}

export function Supervisor({ dashboard, meId, admin, openTabs }: {
  dashboard: Dashboard | null; meId: string; admin: boolean; openTabs: string[];
}): JSX.Element {
  const topic = useTopicLabel();
  const c = useController();
  const now = useServerNow(1000);
  useEffect(() => {
    void c.actions.loadDashboard();
  }, []);
  if (!dashboard) return <div class="page"><p class="muted">Loading the dashboard…</p></div>;
  const names = Object.fromEntries(dashboard.agents.map((a) => [a.id, a.display_name]));
  const waiting = dashboard.queues.reduce((n, q) => n + q.waiting.length, 0);
  const longest = Math.max(0, ...dashboard.queues.flatMap((q) => q.waiting.map((w) => waitedSeconds(w.queued_at ?? w.created_at, now))));
  const online = dashboard.agents.filter((a) => a.connected && a.status === "online").length;
  return (
    <div class="page supervisor">
      <div class="page-head"><div><h1>Live dashboard</h1><p class="muted">Updates as it happens.</p></div>
        <div class="page-actions">
          <a class="btn btn-ghost btn-sm" href="/review/reports" data-testid="reports-link">Reports: the last days’ figures</a>
          <a class="btn btn-ghost btn-sm" href="/review/team" data-testid="team-link">Team: accounts</a>
          {admin ? <a class="btn btn-ghost btn-sm" href="/review/sites" data-testid="sites-link">Sites: stores</a> : null}
        </div></div>
      <div class="kpis">
        <Kpi label="Waiting" value={String(waiting)} tone={waiting ? "warn" : undefined} />
        <Kpi label="Longest wait" value={waiting ? formatDuration(longest) : "—"} tone={longest >= 120 ? "warn" : undefined} />
        <Kpi label="Agents online" value={`${online}/${dashboard.agents.length}`} />
        <Kpi label="Active chats" value={String(dashboard.active_conversations.filter((a) => a.status === "active").length)} />
      </div>
      <h2 class="section-title">Queues</h2>
      <div class="queue-grid">{dashboard.queues.map((q) => (
        <QueueCard key={q.team} q={q} now={now} free={freeSlots(q.team, dashboard.agents)} />))}</div>
      <div class="two-col wide-left">
        <section class="card" aria-labelledby="agents-title">
          <h2 id="agents-title">Agents</h2>
          <table class="table" aria-label="Agents">
            <thead><tr><th>Agent</th><th>Status</th><th>Load</th><th>Teams</th></tr></thead>
            <tbody>{dashboard.agents.map((a) => <AgentRow key={a.id} a={a} />)}</tbody>
          </table>
        </section>
        <section class="card" aria-labelledby="active-title">
          <h2 id="active-title">Active conversations</h2>
          {dashboard.active_conversations.length === 0 ? <p class="empty-small">No conversations right now.</p> : (
            <ul class="active-list" aria-label="Active conversations">
              {dashboard.active_conversations.map((a) => (
                <li key={a.id} data-conversation={a.id}>
                  <div class="active-main">
                    <strong>{shopperName(a)}</strong>
                    <span class="muted"> · {topic(a)} · {a.team}</span>
                    <div class="muted small">
                      {a.status === "offered" ? "Being offered" : `With ${a.agent_id === meId ? "you" : names[a.agent_id ?? ""] ?? "an agent"}`} · since {formatWhen(a.queued_at ?? a.created_at)}
                    </div>
                    {a.last_message ? <div class="active-msg">{a.last_message}</div> : null}
                  </div>
                  {a.status === "active" && a.agent_id !== meId ? (
                    <div class="row-actions">
                      {c.state.convs[a.id]?.mode === "live" ? (
                        // Joined already: back to the conversation, not joined twice.
                        <button type="button" class="btn btn-ghost btn-sm" data-testid="open-joined"
                          onClick={() => c.dispatch({ type: "tab_focus", id: a.id })}
                          aria-label={`Open the conversation with ${a.visitor_name || "the visitor"}, which you joined`}>
                          <IconJoin size={14} /> Joined: open
                        </button>
                      ) : (
                        <>
                          <button type="button" class="btn btn-ghost btn-sm" onClick={() => void c.actions.observe(a.id)}
                            aria-label={`Observe the conversation with ${a.visitor_name || "the visitor"}`}>
                            <IconEye size={14} /> {openTabs.includes(a.id) ? "Open" : "Observe"}
                          </button>
                          <button type="button" class="btn btn-ghost btn-sm" onClick={() => void c.actions.join(a.id)}
                            aria-label={`Join the conversation with ${a.visitor_name || "the visitor"}`}>
                            <IconJoin size={14} /> Join
                          </button>
                        </>
                      )}
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
