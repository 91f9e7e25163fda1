// The visitor's session token: refreshed over the socket before it expires, and replaced by a
// new session for the same visitor (its kept visitor key) when it expired or was refused.
import type { Token, VisitorSession } from "./protocol.gen";

/** Refresh this long before the token expires. */
const REFRESH_AHEAD_MS = 120_000;
/** A token this close to its end is not offered at a handshake: renew first. */
const HANDSHAKE_MARGIN_MS = 15_000;
const RETRY_REFRESH_MS = 30_000;

export interface CredentialHost {
  /** A new session for this visitor (POST /api/v1/visitor-sessions). */
  createSession(): Promise<VisitorSession>;
  /** `refresh_token` over the socket, or null when it is not connected. */
  refresh(): Promise<Token> | null;
  /** A session was made (first or renewed): keep its visitor key, take its news. */
  adopted(session: VisitorSession, renewed: boolean): void;
}

export class Credentials {
  private token = "";
  private expiresAt = 0;
  private renewing: Promise<void> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: CredentialHost) {}

  adopt(session: VisitorSession, renewed = false): void {
    this.take(session.token, session.expires_at);
    this.host.adopted(session, renewed);
  }

  /** The token to offer at a (re)connection: renewed first when it is (nearly) spent. */
  async valid(): Promise<string> {
    if (Date.now() < this.expiresAt - HANDSHAKE_MARGIN_MS) return this.token;
    await this.renew();
    return this.token;
  }

  /** The server said the token expired: the next handshake renews it. */
  expired(): void {
    this.expiresAt = 0;
  }

  /** A new session for the same visitor; concurrent callers share one request. */
  renew(): Promise<void> {
    this.renewing ??= (async () => {
      try {
        this.adopt(await this.host.createSession(), true);
      } finally {
        this.renewing = null;
      }
    })();
    return this.renewing;
  }

  stop(): void {
    clearTimeout(this.refreshTimer);
  }

  private take(token: string, expiresAt: number): void {
    this.token = token;
    this.expiresAt = expiresAt;
    this.schedule(Math.max(expiresAt - Date.now() - REFRESH_AHEAD_MS, 5_000));
  }

  private schedule(delay: number): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), Math.min(delay, 2 ** 31 - 1));
  }

  private async refresh(): Promise<void> {
    const pending = this.host.refresh();
    if (pending === null) return; // not connected: the next handshake renews it
    try {
      const fresh = await pending;
      this.take(fresh.token, fresh.expires_at);
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === "unauthorized") {
        // Spent (the page slept past its expiry, say): only a new session will do.
        this.expired();
        await this.renew().catch(() => this.schedule(RETRY_REFRESH_MS));
        return;
      }
      this.schedule(RETRY_REFRESH_MS);
    }
  }
}
