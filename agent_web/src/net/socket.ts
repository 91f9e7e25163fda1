// The /agent Socket.IO connection, typed by the generated protocol: `request` answers with the
// ack's data or throws a RequestError; `on` listens to notifications and log events.
import { io, type Socket } from "socket.io-client";
import type { Ack, AgentNotifications, AgentRequests, LogEvent } from "../protocol.gen";
import { isLogEvent } from "../state/log";
import { RequestError } from "./session";

export const REQUEST_TIMEOUT_MS = 10_000;

export interface SocketHooks {
  token(): string | null;
  connected(recovered: boolean): void;
  disconnected(willRetry: boolean, reason: string): void;
  refused(unauthorized: boolean, message: string): void;
}

export class AgentSocket {
  private readonly socket: Socket;
  private everConnected = false;

  constructor(hooks: SocketHooks, url = "/agent") {
    this.socket = io(url, {
      transports: ["websocket"],
      auth: (cb) => cb({ token: hooks.token() }),
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      autoConnect: false,
    });
    this.socket.on("connect", () => {
      const recovered = this.everConnected;
      this.everConnected = true;
      hooks.connected(recovered);
    });
    this.socket.on("disconnect", (reason) => {
      // The server closing us on purpose (or us logging out) does not come back by itself.
      const willRetry = reason !== "io client disconnect" && reason !== "io server disconnect";
      hooks.disconnected(willRetry, reason);
      if (reason === "io server disconnect") setTimeout(() => this.socket.connect(), 1_000);
    });
    this.socket.on("connect_error", (err: Error & { data?: { code?: string } }) => {
      // python-socketio sends the refusal's dict as the message text.
      const unauthorized = err.data?.code === "unauthorized" || /unauthori[sz]ed/.test(err.message);
      const match = /'message': '([^']*)'/.exec(err.message);
      hooks.refused(unauthorized, match?.[1] ?? err.message);
      if (!this.socket.active && !unauthorized) setTimeout(() => this.socket.connect(), 2_000);
    });
  }

  connect(): void {
    this.socket.connect();
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  async request<K extends keyof AgentRequests>(event: K, payload: AgentRequests[K]["request"],
                                               timeoutMs = REQUEST_TIMEOUT_MS): Promise<AgentRequests[K]["result"]> {
    let ack: Ack<AgentRequests[K]["result"]>;
    try {
      ack = await this.socket.timeout(timeoutMs).emitWithAck(event, payload);
    } catch {
      throw new RequestError("timeout", "The server did not answer in time.");
    }
    if (!ack.ok) throw new RequestError(ack.error.code, ack.error.message);
    return ack.data;
  }

  /** Every log event, whatever its type. */
  onLogEvent(fn: (event: LogEvent) => void): void {
    this.socket.onAny((event: string, payload: unknown) => {
      if (isLogEvent(event, payload)) fn(payload);
    });
  }

  on<K extends keyof AgentNotifications>(event: K, fn: (payload: AgentNotifications[K]) => void): void {
    this.socket.on(event as string, fn as (payload: unknown) => void);
  }
}
