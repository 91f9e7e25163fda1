// The team's accounts (supervisors and admins): add an agent, change their name, role, teams
// and how many chats they take at once, reset a password, disable the account of someone who
// left (their sessions end at once), and add teams. The rules are the server's (accounts.py).
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Account, AccountList, AccountPassword } from "../../protocol.gen";
import { canManage, changesBetween, formOf, ROLE_LABELS, statusOf, withAccount,
  type AccountForm, type RoleName } from "../accounts";
import { fieldOf, type FieldProblem } from "../../net/fields";
import { explain } from "../api";
import { focusLater, useReview } from "./hooks";

const NOT_ALLOWED = "Not allowed: only supervisors and admins manage accounts, and only an admin changes a supervisor's or an admin's.";

// The words of accounts.py's refusals that name a field ("the login 'kim' is taken").
const ACCOUNT_FIELDS = { login: /\bthe login\b/i, display_name: null, role: null, max_concurrent: null, teams: null };
// The team's name is `name` in the request, `team` in the form.
const TEAM_FIELDS = { team: /\bthe team\b/i, name: null };

const REFRESH_MS = 5_000;

export function TeamPage(): JSX.Element {
  const { api, me } = useReview();
  const [list, setList] = useState<AccountList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<AccountPassword | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = (): void => {
      api.accounts().then((l) => { if (live) setList(l); },
        (err: unknown) => { if (live) setError(explain(err, NOT_ALLOWED)); });
    };
    load();
    // Who is signed in (and so who holds chats) changes under the page: read again while seen.
    const timer = setInterval(() => { if (document.visibilityState === "visible") load(); },
                              REFRESH_MS);
    return () => { live = false; clearInterval(timer); };
  }, []);

  const act = async (work: () => Promise<void>): Promise<void> => {
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(explain(err, NOT_ALLOWED));
    }
  };
  const replace = (account: Account): void => setList((l) => (l ? withAccount(l, account) : l));

  const setDisabled = (account: Account, disabled: boolean) => act(async () => {
    replace(await api.changeAccount(account.id, { disabled }));
    setConfirming(null);
  });
  const reset = (account: Account) => act(async () => {
    const result = await api.resetPassword(account.id);
    replace(result.account);
    setShown(result);
    setConfirming(null);
  });

  return (
    <div class="rv-page">
      <div class="rv-page-head">
        <h1>Team</h1>
        <p class="muted">Who can sign in to the console, their teams (the chats routed to them) and how many
          chats they take at once.</p>
      </div>
      {error ? <p class="form-error" role="alert">{error}</p> : null}
      {!list && !error ? <p class="boot" role="status">Loading…</p> : null}
      {shown ? <PasswordNotice shown={shown} onDone={() => setShown(null)} /> : null}
      {list ? (
        <>
          <div class="card rv-table-wrap">
            <table class="table" data-testid="accounts">
              <caption class="visually-hidden">Accounts</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th><th scope="col">Role</th><th scope="col">Teams</th>
                  <th scope="col">Chats at once</th><th scope="col">Status</th>
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {list.accounts.map((a) => {
                  const mine = a.id === me.id;
                  const manageable = canManage(list, me.id, a);
                  const status = statusOf(a);
                  const rows = [
                    <tr key={a.id} data-login={a.login} class={a.disabled ? "rv-disabled" : undefined}>
                      <th scope="row">{a.display_name}<div class="muted small">{a.login}{mine ? " (you)" : ""}</div></th>
                      <td>{ROLE_LABELS[a.role]}</td>
                      <td>{a.teams.length ? a.teams.join(", ") : <span class="muted">none</span>}</td>
                      <td>{a.max_concurrent}</td>
                      <td><span class={`chip rv-status-${status}`}>{status === "disabled" ? "Disabled"
                        : status === "online" ? "Signed in" : "Signed out"}</span></td>
                      <td class="rv-actions">
                        {manageable ? (
                          <>
                            <button type="button" class="btn btn-ghost btn-sm"
                              onClick={() => { setEditing(editing === a.id ? null : a.id); setConfirming(null); }}>
                              Edit</button>
                            {!mine ? (
                              <>
                                <button type="button" class="btn btn-ghost btn-sm"
                                  onClick={() => setConfirming(`password:${a.id}`)}>Reset password</button>
                                {a.disabled
                                  ? <button type="button" class="btn btn-ghost btn-sm"
                                      onClick={() => void setDisabled(a, false)}>Enable</button>
                                  : <button type="button" class="btn btn-danger-ghost btn-sm"
                                      onClick={() => setConfirming(`disable:${a.id}`)}>Disable</button>}
                              </>
                            ) : null}
                          </>
                        ) : <span class="muted small">An admin manages this account</span>}
                      </td>
                    </tr>,
                  ];
                  if (confirming === `disable:${a.id}` || confirming === `password:${a.id}`) {
                    const disabling = confirming.startsWith("disable:");
                    rows.push(
                      <tr key={`${a.id}-confirm`}>
                        <td colSpan={6}>
                          <div class="rv-confirm" role="alertdialog" aria-label={disabling ? "Disable the account" : "Reset the password"}>
                            <p>{disabling
                              ? `Disable ${a.display_name}? They are signed out at once, cannot sign in again, and their chats go back to the queue.`
                              : `Reset ${a.display_name}'s password? They are signed out everywhere and need the new password, shown once.`}</p>
                            <div class="form-actions">
                              <button type="button" class="btn btn-ghost btn-sm" onClick={() => setConfirming(null)}>Cancel</button>
                              <button type="button" class={`btn btn-sm ${disabling ? "btn-danger" : "btn-primary"}`}
                                onClick={() => void (disabling ? setDisabled(a, true) : reset(a))}>
                                {disabling ? "Disable" : "Reset password"}</button>
                            </div>
                          </div>
                        </td>
                      </tr>);
                  }
                  if (editing === a.id) {
                    rows.push(
                      <tr key={`${a.id}-edit`}>
                        <td colSpan={6}>
                          <AccountEditor account={a} list={list} mine={mine}
                            onCancel={() => setEditing(null)}
                            onSave={(form) => act(async () => {
                              const changes = changesBetween(a, form);
                              if (Object.keys(changes).length) replace(await api.changeAccount(a.id, changes));
                              setEditing(null);
                            })} />
                        </td>
                      </tr>);
                  }
                  return rows;
                })}
              </tbody>
            </table>
          </div>
          <div class="rv-team-forms">
            <NewAccountForm list={list} onCreated={(created) => {
              setList((l) => (l ? { ...l, accounts: [...l.accounts, created.account] } : l));
              setShown(created);
            }} />
            <NewTeamForm onCreated={setList} />
          </div>
        </>
      ) : null}
    </div>
  );
}

function PasswordNotice({ shown, onDone }: { shown: AccountPassword; onDone: () => void }): JSX.Element {
  const consoleUrl = `${location.origin}/agent/`;
  return (
    <div class="card rv-password" role="status" data-testid="password-notice">
      <p><strong>{shown.account.display_name}</strong> signs in at <code>{consoleUrl}</code> with the login{" "}
        <code>{shown.account.login}</code> and the password <code data-testid="new-password">{shown.password}</code>
      </p>
      <p class="muted small">Pass it on now: it is not shown again. They can keep it or ask for a new one.</p>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost btn-sm"
          onClick={() => void navigator.clipboard?.writeText(shown.password)}>Copy password</button>
        <button type="button" class="btn btn-primary btn-sm" onClick={onDone}>Done</button>
      </div>
    </div>
  );
}

function RoleSelect({ roles, value, onChange, disabled }: {
  roles: RoleName[]; value: RoleName; onChange: (r: RoleName) => void; disabled?: boolean;
}): JSX.Element {
  const options = roles.includes(value) ? roles : [value, ...roles];
  return (
    <select name="role" value={value} disabled={disabled}
      onChange={(e) => onChange(e.currentTarget.value as RoleName)}>
      {options.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
    </select>
  );
}

function TeamChecks({ teams, value, onChange, disabled }: {
  teams: string[]; value: string[]; onChange: (t: string[]) => void; disabled?: boolean;
}): JSX.Element {
  return (
    <fieldset class="field rv-team-checks" disabled={disabled}>
      <legend>Teams{disabled ? " (another supervisor or an admin changes yours)" : ""}</legend>
      {teams.map((t) => (
        <label key={t} class="rv-check">
          <input type="checkbox" name="teams" value={t} checked={value.includes(t)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...value, t] : value.filter((x) => x !== t))} />
          {t}
        </label>
      ))}
    </fieldset>
  );
}

function AccountFields({ list, form, set, roleLocked }: {
  list: AccountList; form: AccountForm; set: (f: AccountForm) => void; roleLocked: boolean;
}): JSX.Element {
  return (
    <>
      <label class="field">
        <span>Name shoppers see</span>
        <input name="display_name" value={form.display_name} maxLength={80} required
          onInput={(e) => set({ ...form, display_name: e.currentTarget.value })} />
      </label>
      <label class="field">
        <span>Role</span>
        <RoleSelect roles={list.manageable_roles} value={form.role} disabled={roleLocked}
          onChange={(role) => set({ ...form, role })} />
      </label>
      <label class="field">
        <span>Chats at once</span>
        <input type="number" name="max_concurrent" min={1} max={50} value={form.max_concurrent}
          onInput={(e) => set({ ...form, max_concurrent: Number(e.currentTarget.value) })} />
      </label>
      <TeamChecks teams={list.teams} value={form.teams} onChange={(teams) => set({ ...form, teams })}
        disabled={roleLocked} />
    </>
  );
}

function AccountEditor({ account, list, mine, onSave, onCancel }: {
  account: Account; list: AccountList; mine: boolean;
  onSave: (f: AccountForm) => Promise<void>; onCancel: () => void;
}): JSX.Element {
  const [form, setForm] = useState<AccountForm>(() => formOf(account));
  return (
    <form class="rv-account-form" aria-label={`Edit ${account.display_name}`}
      onSubmit={(e) => { e.preventDefault(); void onSave(form); }}>
      <div class="rv-filter-grid">
        <AccountFields list={list} form={form} set={setForm} roleLocked={mine} />
      </div>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost btn-sm" onClick={onCancel}>Cancel</button>
        <button type="submit" class="btn btn-primary btn-sm">Save</button>
      </div>
    </form>
  );
}

function NewAccountForm({ list, onCreated }: {
  list: AccountList; onCreated: (a: AccountPassword) => void;
}): JSX.Element {
  const { api } = useReview();
  const blank = (): AccountForm => ({ display_name: "", role: "agent", teams: [], max_concurrent: 3 });
  const [login, setLogin] = useState("");
  const [form, setForm] = useState<AccountForm>(blank);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FieldProblem | null>(null);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    // Busy: the button says so (aria-disabled) but keeps the focus, which `disabled` would drop.
    if (busy) return;
    const target = e.currentTarget;
    setBusy(true);
    setProblem(null);
    try {
      onCreated(await api.createAccount({ login: login.trim(), ...form, display_name: form.display_name.trim() }));
      setLogin("");
      setForm(blank());
    } catch (err) {
      const field = fieldOf(err, ACCOUNT_FIELDS);
      setProblem({ text: explain(err, NOT_ALLOWED), field });
      if (field) focusLater(target, `[name=${field}]`);
    } finally {
      setBusy(false);
    }
  };
  const loginError = problem?.field === "login" ? problem.text : null;
  return (
    <form class="card rv-account-form" aria-labelledby="new-account" onSubmit={(e) => void submit(e)}>
      <h2 id="new-account" class="section-title">Add an agent</h2>
      <div class="rv-filter-grid">
        <div class="field">
          <label for="new-account-login">Login</label>
          <input id="new-account-login" name="login" value={login} required maxLength={100} autocomplete="off"
            pattern="[A-Za-z0-9][A-Za-z0-9._@\-]*" title="Letters, digits and . _ @ -"
            aria-invalid={loginError ? true : undefined}
            aria-describedby={loginError ? "new-account-login-error" : undefined}
            onInput={(e) => { setLogin(e.currentTarget.value); if (loginError) setProblem(null); }} />
          {loginError ? <small class="field-error" id="new-account-login-error">{loginError}</small> : null}
        </div>
        <AccountFields list={list} form={form} set={setForm} roleLocked={false} />
      </div>
      {problem && problem.field !== "login" ? <p class="form-error" role="alert">{problem.text}</p> : null}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" aria-disabled={busy ? true : undefined}>Add agent</button>
      </div>
    </form>
  );
}

function NewTeamForm({ onCreated }: { onCreated: (l: AccountList) => void }): JSX.Element {
  const { api } = useReview();
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<FieldProblem | null>(null);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const target = e.currentTarget;
    setProblem(null);
    try {
      onCreated(await api.createTeam(name.trim()));
      setName("");
    } catch (err) {
      const field = fieldOf(err, TEAM_FIELDS) ? "team" : null;
      setProblem({ text: explain(err, NOT_ALLOWED), field });
      if (field) focusLater(target, "[name=team]");
    }
  };
  const teamError = problem?.field === "team" ? problem.text : null;
  return (
    <form class="card rv-account-form" aria-labelledby="new-team" onSubmit={(e) => void submit(e)}>
      <h2 id="new-team" class="section-title">Add a team</h2>
      <p class="muted small">A site's topics send chats to a team (an admin sets them on the Sites page).</p>
      <div class="field">
        <label for="new-team-name">Team name</label>
        <input id="new-team-name" name="team" value={name} required maxLength={64}
          aria-invalid={teamError ? true : undefined} aria-describedby={teamError ? "new-team-error" : undefined}
          onInput={(e) => { setName(e.currentTarget.value); if (teamError) setProblem(null); }} />
        {teamError ? <small class="field-error" id="new-team-error">{teamError}</small> : null}
      </div>
      {problem && !teamError ? <p class="form-error" role="alert">{problem.text}</p> : null}
      <div class="form-actions">
        <button type="submit" class="btn btn-ghost">Add team</button>
      </div>
    </form>
  );
}
