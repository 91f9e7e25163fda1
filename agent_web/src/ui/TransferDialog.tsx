// Handing a conversation to a team or a colleague, with a note they will see.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { AgentInfo, AgentList } from "../protocol.gen";
import { Dialog } from "./Dialog";
import { useController } from "./hooks";

function availability(a: AgentInfo): string | null {
  if (a.status !== "online") return a.status;
  if (!a.connected) return "not connected";
  if (a.load >= a.max_concurrent) return "full";
  return null;
}

/** Whether a colleague of `team` could take a transfer now (the server checks again). */
export function teamReachable(team: string, colleagues: readonly AgentInfo[]): boolean {
  return colleagues.some((a) => a.teams.includes(team) && a.status === "online" && a.connected);
}

export function TransferDialog({ convId, team, colleagues, meId, onClose }: {
  convId: string; team: string; colleagues: AgentList | null; meId: string; onClose: () => void;
}): JSX.Element {
  const c = useController();
  const [kind, setKind] = useState<"team" | "agent">("team");
  const teams = colleagues?.teams ?? [];
  const agents = (colleagues?.agents ?? []).filter((a) => a.id !== meId);
  const reachable = (t: string): boolean => colleagues === null || teamReachable(t, agents);
  const pickTeam = (): string => teams.find((t) => t !== team && reachable(t))
    ?? teams.find(reachable) ?? teams.find((t) => t !== team) ?? team;
  const [toTeam, setToTeam] = useState(pickTeam);
  const [toAgent, setToAgent] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void c.actions.loadColleagues();
  }, [c]);
  useEffect(() => {
    if ((!teams.includes(toTeam) || !reachable(toTeam)) && teams.length) setToTeam(pickTeam());
  }, [teams.join(","), colleagues]);

  // Nobody of any team online and free: said before the click, not after it.
  const nobody = colleagues !== null && kind === "team" && !teams.some(reachable);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    if (kind === "team" && !reachable(toTeam)) {
      setError(`Nobody of the ${toTeam} team is available now.`);
      return;
    }
    if (kind === "agent" && !toAgent) {
      setError("Choose a colleague.");
      return;
    }
    setBusy(true);
    const label = kind === "team" ? `the ${toTeam} team`
      : agents.find((a) => a.id === toAgent)?.display_name ?? "a colleague";
    const problem = await c.actions.transfer(kind === "team"
      ? { conversation_id: convId, to_team: toTeam, note }
      : { conversation_id: convId, to_agent_id: toAgent, note }, label);
    setBusy(false);
    if (problem) setError(problem);
    else onClose();
  };

  return (
    <Dialog title="Transfer conversation" onClose={onClose} footer={<>
      <button type="button" class="btn btn-ghost" onClick={onClose}>Cancel</button>
      {/* aria-disabled, not disabled: a disabled button drops the focus (and Esc with it). */}
      <button type="submit" form="transfer-form" class="btn btn-primary" aria-disabled={busy || nobody ? true : undefined}>{busy ? "Transferring…" : "Transfer"}</button>
    </>}>
      <form id="transfer-form" onSubmit={submit}>
        <fieldset class="segmented">
          <legend class="visually-hidden">Transfer to</legend>
          <label class={kind === "team" ? "active" : ""}>
            <input type="radio" name="kind" value="team" checked={kind === "team"} onChange={() => setKind("team")} /> A team
          </label>
          <label class={kind === "agent" ? "active" : ""}>
            <input type="radio" name="kind" value="agent" checked={kind === "agent"} onChange={() => setKind("agent")} /> A colleague
          </label>
        </fieldset>
        {kind === "team" ? (
          <label class="field">
            <span>Team</span>
            <select id="transfer-team" value={toTeam} onChange={(e) => setToTeam(e.currentTarget.value)}>
              {teams.map((t) => <option value={t} disabled={!reachable(t)}>
                {t}{t === team ? " (current)" : ""}{reachable(t) ? "" : " — nobody available"}
              </option>)}
            </select>
          </label>
        ) : (
          <label class="field">
            <span>Colleague</span>
            <select id="transfer-agent" value={toAgent} onChange={(e) => setToAgent(e.currentTarget.value)}>
              <option value="">Choose…</option>
              {agents.map((a) => {
                const why = availability(a);
                return <option value={a.id} disabled={why !== null}>
                  {a.display_name} — {why ?? `${a.load}/${a.max_concurrent} chats`}
                </option>;
              })}
            </select>
          </label>
        )}
        <label class="field">
          <span>Note for them (internal)</span>
          <textarea id="transfer-note" rows={3} maxLength={2000} value={note}
            placeholder="What have you tried, what does the visitor need?"
            onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        {nobody && !error ? <p class="form-error" role="status" data-testid="transfer-nobody">
          Nobody of any team is online now: keep the chat for now.</p> : null}
        {error ? <p class="form-error" role="alert">{error}</p> : null}
      </form>
    </Dialog>
  );
}
