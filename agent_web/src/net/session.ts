// The agent's session: login over REST, the token kept in localStorage (so a reload stays logged
// in), and when to refresh it.
import type { AgentInfo, LoginResult, Token } from "../protocol.gen";

const KEY = "aisle.console.session";

export interface StoredSession {
  token: string;
  expires_at: number;
  agent: AgentInfo;
}

export class RequestError extends Error {
  constructor(readonly code: string, message: string, readonly status = 0,
              readonly details: Record<string, unknown> | null = null) {
    super(message);
  }
}

/** The error body of a failed REST call, as a RequestError. */
export async function restError(resp: Response): Promise<RequestError> {
  try {
    const body = (await resp.json()) as {
      error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    return new RequestError(body.error?.code ?? "http_error",
      body.error?.message ?? `The server answered ${resp.status}`, resp.status, body.error?.details ?? null);
  } catch {
    return new RequestError("http_error", `The server answered ${resp.status}`, resp.status);
  }
}

export async function login(loginName: string, password: string): Promise<LoginResult> {
  let resp: Response;
  try {
    resp = await fetch("/api/v1/login", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ login: loginName, password }),
    });
  } catch {
    throw new RequestError("network", "Aisle cannot be reached. Check your connection.");
  }
  if (!resp.ok) throw await restError(resp);
  return (await resp.json()) as LoginResult;
}

/** A fresh token over REST (used when the socket is down). */
export async function refreshOverHttp(token: string): Promise<Token> {
  const resp = await fetch("/api/v1/token", {
    method: "POST", headers: { Authorization: `Bearer ${token}` },
  });
  if (!resp.ok) throw await restError(resp);
  return (await resp.json()) as Token;
}

export function loadSession(storage: Storage, now: number = Date.now()): StoredSession | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as StoredSession;
    if (typeof s.token !== "string" || typeof s.expires_at !== "number" || !s.agent) return null;
    return s.expires_at > now + 1_000 ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(storage: Storage, session: StoredSession | null): void {
  try {
    if (session) storage.setItem(KEY, JSON.stringify(session));
    else storage.removeItem(KEY);
  } catch {
    // Private mode or a full quota: the session lasts as long as the page.
  }
}

/** When to refresh a token expiring at `expiresAt`: 10 minutes before the end, or halfway
 * through what is left when that is less (never after it has expired). */
export function refreshDelayMs(expiresAt: number, now: number): number {
  const left = expiresAt - now;
  return Math.max(0, left - Math.min(10 * 60_000, left / 2));
}

/** After a failed refresh, try again this much later. */
export const REFRESH_RETRY_MS = 5_000;
