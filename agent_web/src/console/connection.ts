// The signed-in session: the token (kept across reloads, refreshed before it expires) and the
// socket that uses it. Signing out, or the server refusing the token, ends both.
import type { AgentInfo, AgentNotifications, AgentRequests, LogEvent, LoginResult } from "../protocol.gen";
import { AgentSocket } from "../net/socket";
import {
  REFRESH_RETRY_MS, RequestError, type StoredSession, loadSession, login, refreshDelayMs, refreshOverHttp,
  saveSession,
} from "../net/session";

export interface ConnectionEvents {
  signedIn(agent: AgentInfo): void;
  signedOut(reason: string | null): void;
  connected(recovered: boolean): void;
  disconnected(willRetry: boolean): void;
}


export class Connection {
  private session: StoredSession | null = null;
  private socket: AgentSocket | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** Listeners, attached to every socket this session opens. */
  private readonly listeners: ((socket: AgentSocket) => void)[] = [];

  constructor(private readonly events: ConnectionEvents, private readonly storage: Storage) {}

  get token(): string | null {
    return this.session?.token ?? null;
  }

  get agent(): AgentInfo | null {
    return this.session?.agent ?? null;
  }

  /** Continue a session kept from an earlier visit; false if there is none (or it expired). */
  restore(): boolean {
    const kept = loadSession(this.storage);
    if (!kept) return false;
    this.begin(kept);
    return true;
  }

  async login(name: string, password: string): Promise<void> {
    const result: LoginResult = await login(name, password);
    this.begin({ token: result.token, expires_at: result.expires_at, agent: result.agent });
  }

  logout(reason: string | null = null): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.socket?.close();
    this.socket = null;
    this.session = null;
    saveSession(this.storage, null);
    this.events.signedOut(reason);
  }

  /** Keep the stored copy of the agent current (name, photo, status) for the next reload. */
  remember(agent: AgentInfo): void {
    if (!this.session) return;
    this.session = { ...this.session, agent };
    saveSession(this.storage, this.session);
  }

  on<K extends keyof AgentNotifications>(event: K, fn: (payload: AgentNotifications[K]) => void): void {
    this.listen((socket) => socket.on(event, fn));
  }

  onLogEvent(fn: (event: LogEvent) => void): void {
    this.listen((socket) => socket.onLogEvent(fn));
  }

  private listen(attach: (socket: AgentSocket) => void): void {
    this.listeners.push(attach);
    if (this.socket) attach(this.socket);
  }

  get online(): boolean {
    return this.socket?.connected ?? false;
  }

  async request<K extends keyof AgentRequests>(event: K, payload: AgentRequests[K]["request"],
                                               timeoutMs?: number): Promise<AgentRequests[K]["result"]> {
    if (!this.socket) throw new RequestError("signed_out", "You are signed out.");
    return this.socket.request(event, payload, timeoutMs);
  }

  private begin(session: StoredSession): void {
    this.session = session;
    saveSession(this.storage, session);
    this.events.signedIn(session.agent);
    const socket = new AgentSocket({
      token: () => this.session?.token ?? null,
      connected: (recovered) => this.events.connected(recovered),
      disconnected: (willRetry) => this.events.disconnected(willRetry),
      refused: (unauthorized, message) => {
        if (unauthorized) this.logout(`Your session has ended (${message}). Please sign in again.`);
        else this.events.disconnected(true);
      },
    });
    for (const attach of this.listeners) attach(socket);
    this.socket = socket;
    socket.connect();
    this.scheduleRefresh();
  }

  private scheduleRefresh(retry = false): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (!this.session) return;
    const delay = retry ? REFRESH_RETRY_MS
      : Math.min(refreshDelayMs(this.session.expires_at, Date.now()), 2 ** 31 - 1);
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
  }

  private async refresh(): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      const fresh = this.online
        ? await this.request("refresh_token", {})
        : await refreshOverHttp(session.token);
      if (this.session !== session) return; // signed out meanwhile
      this.session = { ...session, token: fresh.token, expires_at: fresh.expires_at };
      saveSession(this.storage, this.session);
    } catch (err) {
      if (err instanceof RequestError && err.code === "unauthorized") {
        this.logout("Your session has expired. Please sign in again.");
        return;
      }
      this.scheduleRefresh(true); // offline for now: try again shortly
      return;
    }
    this.scheduleRefresh();
  }
}
