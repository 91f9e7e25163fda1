// The review REST API with the signed-in reviewer's token. The session is the console's (same
// localStorage key, same login): signing in to one signs in to the other.
import { RequestError, loadSession, login, refreshDelayMs, refreshOverHttp, restError,
  saveSession, REFRESH_RETRY_MS, type StoredSession } from "../net/session";
import type { Account, AccountChanges, AccountList, AccountPassword, NewAccount, NewSite, NewTeam, Site,
  SiteChanges, SiteList } from "../protocol.gen";
import type { AgentList, Annotation, Criterion, Job, NewAnnotation, NewScore, Recording, RecordingList, Report, Score, ScoreSummary, Scorecard } from "./types";

export { RequestError };

export class ReviewSession {
  private current: StoredSession | null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<() => void>();

  constructor(private readonly storage: Storage) {
    this.current = loadSession(storage);
    this.schedule();
  }

  get session(): StoredSession | null {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async signIn(name: string, password: string): Promise<void> {
    const result = await login(name, password);
    this.set({ token: result.token, expires_at: result.expires_at, agent: result.agent });
  }

  signOut(): void {
    this.set(null);
  }

  /** The token stopped working (expired, or the agent was removed). */
  expired(): void {
    if (this.current) this.set(null);
  }

  private set(session: StoredSession | null): void {
    this.current = session;
    saveSession(this.storage, session);
    this.schedule();
    for (const listener of this.listeners) listener();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const s = this.current;
    if (!s) return;
    this.timer = setTimeout(() => {
      refreshOverHttp(s.token).then(
        (t) => this.set({ ...s, token: t.token, expires_at: t.expires_at }),
        (err: unknown) => {
          if (err instanceof RequestError && err.status === 401) this.expired();
          else this.timer = setTimeout(() => this.schedule(), REFRESH_RETRY_MS);
        });
    }, refreshDelayMs(s.expires_at, Date.now()));
  }
}

export interface FoundVisitor {
  visitor_id: string;
  site_id: string;
  name: string | null;
  last_seen_at: number;
  conversations: number;
}

export interface AuditEntry {
  id: number;
  ts: number;
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

export class ReviewApi {
  constructor(private readonly session: ReviewSession) {}

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const token = this.session.session?.token;
    if (!token) throw new RequestError("unauthorized", "Sign in first.", 401);
    let resp: Response;
    try {
      resp = await fetch(path, {
        method,
        headers: { Authorization: `Bearer ${token}`,
                   ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch {
      throw new RequestError("network", "Aisle cannot be reached. Check your connection.");
    }
    if (!resp.ok) {
      const err = await restError(resp);
      if (resp.status === 401) this.session.expired();
      throw err;
    }
    return resp;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.request(method, path, body)).json()) as T;
  }

  /** Subject access: the visitors (one per browser and site) who gave this address. */
  findVisitors(email: string): Promise<{ visitors: FoundVisitor[] }> {
    return this.json("GET", `/api/v1/visitors?email=${encodeURIComponent(email)}`);
  }

  /** One visitor's data, as the JSON file the shopper is sent. */
  async exportVisitor(id: string): Promise<Blob> {
    return (await this.request("GET", `/api/v1/visitors/${encodeURIComponent(id)}/export`)).blob();
  }

  /** The audit log, newest first (admins). */
  audit(limit = 100): Promise<{ entries: AuditEntry[] }> {
    return this.json("GET", `/api/v1/audit?limit=${limit}`);
  }

  eraseVisitor(id: string): Promise<{ visitor_id: string; conversations: number; files: number }> {
    return this.json("POST", `/api/v1/visitors/${encodeURIComponent(id)}/erase`);
  }

  search(query: string): Promise<RecordingList> {
    return this.json("GET", `/api/v1/recordings${query}`);
  }

  recording(id: string): Promise<Recording> {
    return this.json("GET", `/api/v1/recordings/${encodeURIComponent(id)}`);
  }

  annotate(id: string, note: NewAnnotation): Promise<Annotation> {
    return this.json("POST", `/api/v1/recordings/${encodeURIComponent(id)}/annotations`, note);
  }

  editAnnotation(id: string, annotationId: string, text: string): Promise<Annotation> {
    return this.json("PUT",
      `/api/v1/recordings/${encodeURIComponent(id)}/annotations/${encodeURIComponent(annotationId)}`,
      { text });
  }

  async deleteAnnotation(id: string, annotationId: string): Promise<void> {
    await this.request("DELETE",
      `/api/v1/recordings/${encodeURIComponent(id)}/annotations/${encodeURIComponent(annotationId)}`);
  }

  scorecard(team: string): Promise<Scorecard> {
    return this.json("GET", `/api/v1/teams/${encodeURIComponent(team)}/scorecard`);
  }

  setScorecard(team: string, criteria: Criterion[]): Promise<Scorecard> {
    return this.json("PUT", `/api/v1/teams/${encodeURIComponent(team)}/scorecard`, { criteria });
  }

  score(id: string, score: NewScore): Promise<Score> {
    return this.json("PUT", `/api/v1/recordings/${encodeURIComponent(id)}/score`, score);
  }

  summary(by: "agent" | "team"): Promise<ScoreSummary> {
    return this.json("GET", `/api/v1/scores/summary?by=${by}`);
  }

  report(query: string): Promise<Report> {
    return this.json("GET", `/api/v1/reports${query}`);
  }

  /** Every agent, for the catalogue's filter (reviewers). */
  agents(): Promise<AgentList> {
    return this.json("GET", "/api/v1/agents");
  }

  /** Accounts (supervisors and admins): the Team page. */
  accounts(): Promise<AccountList> {
    return this.json("GET", "/api/v1/accounts");
  }

  createAccount(account: NewAccount): Promise<AccountPassword> {
    return this.json("POST", "/api/v1/accounts", account);
  }

  changeAccount(id: string, changes: AccountChanges): Promise<Account> {
    return this.json("PATCH", `/api/v1/accounts/${encodeURIComponent(id)}`, changes);
  }

  resetPassword(id: string): Promise<AccountPassword> {
    return this.json("POST", `/api/v1/accounts/${encodeURIComponent(id)}/password`);
  }

  createTeam(name: string): Promise<AccountList> {
    return this.json("POST", "/api/v1/teams", { name } satisfies NewTeam);
  }

  /** Sites (admins): the Sites page. */
  sites(): Promise<SiteList> {
    return this.json("GET", "/api/v1/sites");
  }

  createSite(site: NewSite): Promise<Site> {
    return this.json("POST", "/api/v1/sites", site);
  }

  changeSite(key: string, changes: SiteChanges): Promise<Site> {
    return this.json("PATCH", `/api/v1/sites/${encodeURIComponent(key)}`, changes);
  }

  /** The export zip (it needs the Authorization header, so it cannot be a plain link). */
  async exportZip(id: string): Promise<Blob> {
    return (await this.request("GET", `/api/v1/recordings/${encodeURIComponent(id)}/export.zip`)).blob();
  }

  compose(id: string): Promise<Job> {
    return this.json("POST", `/api/v1/recordings/${encodeURIComponent(id)}/compose`);
  }

  job(jobId: string): Promise<Job> {
    return this.json("GET", `/api/v1/jobs/${encodeURIComponent(jobId)}`);
  }
}

/** A readable sentence for a failed call. */
export function explain(err: unknown,
                        forbidden = "Not allowed: reviewing is for supervisors and trainers."): string {
  if (err instanceof RequestError) {
    if (err.status === 403) return forbidden;
    if (err.status === 404) return "Not found: it may have been deleted.";
    return err.message;
  }
  return err instanceof Error ? err.message : "Something went wrong.";
}

/** Saves a blob under a file name (the browser's download). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
