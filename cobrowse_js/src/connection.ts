// The socket to `{base}/visitor`: websocket only, the token asked for at every handshake (so a
// reconnect uses the current one), typed requests answered by `{ok, data}` / `{ok, error}` acks,
// and notifications handed on. Requests are never buffered while disconnected: the caller
// decides what to queue (unsent messages) and what to drop (typing).

import { io, type Socket } from "socket.io-client";

import type { VisitorNotifications, VisitorRequests } from "./protocol.gen";
import { redialOnReturn } from "./redial";

/** A request that failed: the server's error code, or "disconnected" / "timeout". */
export class RequestError extends Error {
  constructor(readonly code: string, message: string,
              readonly details: Record<string, unknown> | null = null) {
    super(message);
  }
}

export type Request = keyof VisitorRequests;
export type Notification = keyof VisitorNotifications;

export interface ConnectionHooks {
  /** A token valid for the handshake (renewing the session first if ours has expired). */
  token(): Promise<string>;
  connected(): void;
  disconnected(): void;
  /** The server refused the handshake: the token or the origin was not accepted. */
  refused(): void;
  notified<K extends Notification>(event: K, data: VisitorNotifications[K]): void;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** After the server itself closed the socket, wait this long before dialling again. */
const SERVER_CLOSE_BACKOFF_MS = 3_000;

export class Connection {
  private readonly socket: Socket;
  private redial: ReturnType<typeof setTimeout> | undefined;
  private waiters: Array<() => void> = [];
  private closed = false;
  private readonly stopRedial: () => void;

  constructor(base: string, private readonly hooks: ConnectionHooks) {
    this.socket = io(`${base}/visitor`, {
      transports: ["websocket"],
      auth: (cb) => {
        hooks.token().then((token) => cb({ token }), () => cb({ token: "" }));
      },
      // Short: a shopper back from a dead spot is back within seconds (see redialOnReturn).
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 5_000,
      timeout: 6_000,
    });
    this.stopRedial = redialOnReturn(window, document, () => {
      if (this.closed || this.socket.connected) return;
      // Drops socket.io's pending backoff, and dials now.
      this.socket.disconnect();
      this.socket.connect();
    });
    this.socket.on("connect", () => {
      const waiters = this.waiters;
      this.waiters = [];
      hooks.connected();
      for (const wake of waiters) wake();
    });
    this.socket.on("disconnect", (reason) => {
      hooks.disconnected();
      // The server closed us on purpose (session_closed): socket.io will not redial by itself.
      if (reason === "io server disconnect") this.reconnect(SERVER_CLOSE_BACKOFF_MS);
    });
    this.socket.on("connect_error", () => {
      // An inactive socket after an error means the server refused the handshake; otherwise
      // socket.io keeps retrying with its backoff.
      if (!this.socket.active) hooks.refused();
    });
    this.socket.onAny((event: string, data: unknown) => {
      hooks.notified(event as Notification, data as never);
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  async request<K extends Request>(event: K, payload: VisitorRequests[K]["request"],
                                   timeoutMs = REQUEST_TIMEOUT_MS
  ): Promise<VisitorRequests[K]["result"]> {
    if (!this.socket.connected) throw new RequestError("disconnected", "not connected");
    let ack: unknown;
    try {
      ack = await this.socket.timeout(timeoutMs).emitWithAck(event, payload);
    } catch {
      throw new RequestError(this.socket.connected ? "timeout" : "disconnected",
                             "no answer from the server");
    }
    const answer = ack as { ok?: boolean; data?: unknown;
                            error?: { code?: string; message?: string; details?: unknown } };
    if (answer && answer.ok === true) return answer.data as VisitorRequests[K]["result"];
    const error = answer?.error ?? {};
    throw new RequestError(error.code ?? "error", error.message ?? "request failed",
                           (error.details as Record<string, unknown> | undefined) ?? null);
  }

  /** Resolves at the next connection (now if connected); rejects after `timeoutMs`. */
  whenConnected(timeoutMs: number): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        reject(new RequestError("disconnected", "not connected"));
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(wake);
    });
  }

  /** Dial again after `delayMs` (after a refusal, or the server closing us). */
  reconnect(delayMs: number): void {
    if (this.closed) return;
    clearTimeout(this.redial);
    this.redial = setTimeout(() => {
      if (!this.closed && !this.socket.connected && !this.socket.active) this.socket.connect();
    }, delayMs);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.redial);
    this.stopRedial();
    this.socket.disconnect();
  }
}
