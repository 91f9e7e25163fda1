// The stores that embed the widget (admins): the list, one site's form at a time, and adding a
// site (its key generated). The rules are the server's (site_settings.py, as `aisle sites`).
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Site, SiteList } from "../../protocol.gen";
import { fieldOf, type FieldProblem } from "../../net/fields";
import { explain } from "../api";
import { hoursSummary, lines, problemOf } from "../sites";
import { focusLater, useReview } from "./hooks";
import { SiteEditor } from "./SiteEditor";

const NOT_ALLOWED = "Not allowed: only admins manage sites.";

/** The new-site form's fields; the server names the one it refuses (`details.field`). */
const NEW_SITE_FIELDS = { name: null, origins: null };

export function SitesPage(): JSX.Element {
  const { api } = useReview();
  const [list, setList] = useState<SiteList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [added, setAdded] = useState<Site | null>(null);

  useEffect(() => {
    let live = true;
    api.sites().then((l) => { if (live) setList(l); },
      (err: unknown) => { if (live) setError(explain(err, NOT_ALLOWED)); });
    return () => { live = false; };
  }, []);

  const replace = (site: Site): void =>
    setList((l) => (l ? { ...l, sites: l.sites.map((s) => (s.key === site.key ? site : s)) } : l));
  const open = list?.sites.find((s) => s.key === editing) ?? null;

  return (
    <div class="rv-page">
      <div class="rv-page-head">
        <h1>Sites</h1>
        <p class="muted">The stores that show the chat widget: where it may run, its topics and hours, its
          look, what is recorded and what agents never see when co-browsing.</p>
      </div>
      {error ? <p class="form-error" role="alert">{error}</p> : null}
      {!list && !error ? <p class="boot" role="status">Loading…</p> : null}
      {added ? (
        <div class="card rv-password" role="status" data-testid="site-added">
          <p><strong>{added.name}</strong> was added with the key <code>{added.key}</code>. Put its embed
            tag (below) on every page of the store.</p>
          <div class="form-actions">
            <button type="button" class="btn btn-primary btn-sm" onClick={() => setAdded(null)}>Done</button>
          </div>
        </div>
      ) : null}
      {list ? (
        <>
          <div class="card rv-table-wrap">
            <table class="table" data-testid="sites">
              <caption class="visually-hidden">Sites</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th><th scope="col">Allowed origins</th><th scope="col">Topics</th>
                  <th scope="col">Hours</th><th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {list.sites.map((s) => (
                  <tr key={s.key} data-key={s.key} class={s.key === editing ? "rv-selected" : undefined}>
                    <th scope="row">{s.name}{s.enabled ? null : <> <span class="chip" data-testid="site-off">Chat off</span></>}
                      <div class="muted small">key <code>{s.key}</code></div></th>
                    <td>{s.origins.join(", ")}</td>
                    <td>{s.topics.map((t) => t.label).join(", ")}</td>
                    <td>{hoursSummary(s)}</td>
                    <td class="rv-actions">
                      <button type="button" class="btn btn-ghost btn-sm" aria-expanded={s.key === editing}
                        aria-label={`Edit ${s.name}`}
                        onClick={() => setEditing(editing === s.key ? null : s.key)}>Edit</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {open ? (
            <SiteEditor key={open.key} site={open} teams={list.teams} timezones={list.timezones}
              onSaved={replace} onClose={() => setEditing(null)} />
          ) : null}
          <NewSiteForm onCreated={(site) => {
            setList((l) => (l ? { ...l, sites: [...l.sites, site] } : l));
            setAdded(site);
            setEditing(site.key);
          }} />
        </>
      ) : null}
    </div>
  );
}

function NewSiteForm({ onCreated }: { onCreated: (s: Site) => void }): JSX.Element {
  const { api } = useReview();
  const [name, setName] = useState("");
  const [origins, setOrigins] = useState("");
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
      onCreated(await api.createSite({ name: name.trim(), origins: lines(origins) }));
      setName("");
      setOrigins("");
    } catch (err) {
      const field = fieldOf(err, NEW_SITE_FIELDS);
      setProblem({ text: problemOf(err), field });
      if (field) focusLater(target, `[name=${field}]`);
    } finally {
      setBusy(false);
    }
  };
  const said = (field: string): string | null => (problem?.field === field ? problem.text : null);
  return (
    <form class="card rv-account-form rv-new-site" aria-labelledby="new-site" onSubmit={(e) => void submit(e)}>
      <h2 id="new-site" class="section-title">Add a site</h2>
      <p class="muted small">It gets a generated key and one topic; set the rest in its form once it is added.</p>
      <div class="rv-filter-grid">
        <div class="field">
          <label for="new-site-name">Store name</label>
          <input id="new-site-name" name="name" value={name} required maxLength={80}
            aria-invalid={said("name") ? true : undefined} aria-describedby={said("name") ? "new-site-name-error" : undefined}
            onInput={(e) => setName(e.currentTarget.value)} />
          {said("name") ? <small class="field-error" id="new-site-name-error">{said("name")}</small> : null}
        </div>
        <div class="field">
          <label for="new-site-origins">Allowed origins, one a line</label>
          <textarea id="new-site-origins" name="origins" rows={2} required value={origins} placeholder="https://shop.example"
            aria-invalid={said("origins") ? true : undefined}
            aria-describedby={said("origins") ? "new-site-origins-error" : undefined}
            onInput={(e) => setOrigins(e.currentTarget.value)} />
          {said("origins") ? <small class="field-error" id="new-site-origins-error">{said("origins")}</small> : null}
        </div>
      </div>
      {problem && !problem.field ? <p class="form-error" role="alert">{problem.text}</p> : null}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" aria-disabled={busy ? true : undefined}>Add site</button>
      </div>
    </form>
  );
}
