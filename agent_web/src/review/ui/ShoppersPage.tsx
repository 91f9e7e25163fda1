// A shopper's data, for supervisors and admins answering a data-protection request: find the
// shopper's visitors (one per browser and site) by the email address they gave, download one's
// data as the JSON file to send them, or erase it (rows and recordings, for good). Each is in
// the audit log, which admins read here too.
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { explain, saveBlob, type AuditEntry, type FoundVisitor } from "../api";
import { isAdmin, useReview } from "./hooks";

const NOT_ALLOWED = "Not allowed: only supervisors and admins look up shoppers' data.";

const ACTIONS: Record<string, string> = {
  recording_opened: "opened a recording", recording_exported: "exported a recording",
  video_composed: "composed a recording's video", visitors_found: "looked up a shopper by email",
  visitor_exported: "downloaded a shopper's data", visitor_erased: "erased a shopper's data",
  retention_purge: "retention deleted old data", account_created: "created an account",
  account_changed: "changed an account", password_reset: "reset a password",
};

/** What an entry is about: a conversation, a shopper, a site or an account (and what changed). */
function which(details: Record<string, unknown>): string {
  if (typeof details.account === "string") {
    const changes = Array.isArray(details.changes) ? ` (${details.changes.join(", ")})` : "";
    return `${details.account}${changes}`;
  }
  const found = Array.isArray(details.visitor_ids) ? details.visitor_ids.join(", ") : null;
  return String(details.conversation_id ?? details.visitor_id ?? found ?? details.site_id ?? "");
}

/** Who did what with shoppers' data and recordings, newest first (admins). */
function AuditLog(): JSX.Element | null {
  const { api } = useReview();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  useEffect(() => {
    let live = true;
    api.audit(100).then((r) => { if (live) setEntries(r.entries); }, () => undefined);
    return () => { live = false; };
  }, []);
  if (!entries) return null;
  return (
    <section aria-labelledby="audit-title">
      <h2 class="rv-subhead" id="audit-title">Audit log</h2>
      {entries.length === 0 ? <p class="muted">Nothing yet.</p> : (
        <div class="card rv-table-wrap">
          <table class="table" data-testid="audit">
            <caption class="visually-hidden">The last 100 entries, newest first</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Which</th></tr></thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{new Date(e.ts).toLocaleString()}</td>
                  <td>{typeof e.details.login === "string" ? e.details.login : e.actor}</td>
                  <td>{ACTIONS[e.action] ?? e.action}</td>
                  <td><code>{which(e.details)}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ShoppersPage(): JSX.Element {
  const { api, me } = useReview();
  const [email, setEmail] = useState("");
  const [found, setFound] = useState<FoundVisitor[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const act = async (work: () => Promise<void>): Promise<void> => {
    setError(null);
    setDone(null);
    try {
      await work();
    } catch (err) {
      setError(explain(err, NOT_ALLOWED));
    }
  };
  const search = (e: Event): void => {
    e.preventDefault();
    void act(async () => setFound((await api.findVisitors(email.trim())).visitors));
  };
  const download = (id: string): void => void act(async () => {
    saveBlob(await api.exportVisitor(id), `aisle-${id}.json`);
  });
  const erase = (id: string): void => {
    if (confirming !== id) {
      setConfirming(id);
      return;
    }
    setConfirming(null);
    void act(async () => {
      const gone = await api.eraseVisitor(id);
      setFound((list) => (list ?? []).filter((v) => v.visitor_id !== id));
      setDone(`Erased: ${gone.conversations} conversation${gone.conversations === 1 ? "" : "s"} and ${gone.files} recording file${gone.files === 1 ? "" : "s"}.`);
    });
  };

  return (
    <div class="rv-page">
      <div class="rv-head"><h1>Shoppers’ data</h1></div>
      <p class="muted">For a shopper who asks what the store holds about them, or to be forgotten:
        find them by the email address they gave. Each browser they chatted from is a visitor of
        its own. Downloads and erasures are in the audit log.</p>
      <form class="rv-filters" onSubmit={search} aria-label="Find a shopper">
        <label for="shopper-email">Email address</label>
        <input id="shopper-email" type="email" required value={email} autocomplete="off"
          onInput={(e) => setEmail(e.currentTarget.value)} />
        <button type="submit" class="btn btn-primary btn-sm">Find</button>
      </form>
      {error ? <p class="form-error" role="alert">{error}</p> : null}
      {done ? <p class="muted" role="status" data-testid="shopper-done">{done}</p> : null}
      {confirming ? (
        <p class="form-error" role="alert" data-testid="erase-warning">
          Erasing deletes this visitor’s profile, every conversation of theirs with its recording,
          and the reviewers’ scores and annotations on those conversations. It cannot be undone.
        </p>
      ) : null}
      {found === null ? null : found.length === 0 ? (
        <p class="muted" role="status">Nobody gave that address.</p>
      ) : (
        <div class="card rv-table-wrap">
          <table class="table" data-testid="shoppers">
            <caption class="visually-hidden">Visitors who gave that address</caption>
            <thead><tr><th scope="col">Visitor</th><th scope="col">Name</th><th scope="col">Last seen</th>
              <th scope="col">Conversations</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {found.map((v) => (
                <tr key={v.visitor_id} data-visitor={v.visitor_id}>
                  <th scope="row"><code>{v.visitor_id}</code></th>
                  <td>{v.name ?? "—"}</td>
                  <td>{new Date(v.last_seen_at).toLocaleString()}</td>
                  <td>{v.conversations}</td>
                  <td class="row-actions">
                    <button type="button" class="btn btn-ghost btn-sm" onClick={() => download(v.visitor_id)}>Download data</button>
                    {confirming === v.visitor_id ? (
                      <>
                        <button type="button" class="btn btn-danger btn-sm" onClick={() => erase(v.visitor_id)}>Erase for good</button>
                        <button type="button" class="btn btn-ghost btn-sm" onClick={() => setConfirming(null)}>Keep</button>
                      </>
                    ) : (
                      <button type="button" class="btn btn-ghost btn-sm" onClick={() => erase(v.visitor_id)}>Erase…</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {isAdmin(me) ? <AuditLog /> : null}
    </div>
  );
}
