// The console's calls: one CallController (the widget's engine, shared source) per open live
// conversation, fed with the conversation's call fields, the call notifications and the
// socket's reconnections; a chime when a visitor rings the agent. One call at a time per page.
import { CallController, type CallRequester } from "../../../cobrowse_js/src/call/controller";
import { webCallStore } from "../../../cobrowse_js/src/call/store";
import type { Controller } from "../console/controller";

export class ConsoleCalls {
  private readonly controllers = new Map<string, CallController>();
  private readonly listeners = new Set<() => void>();
  private readonly store = webCallStore("aisle:console:");
  private readonly rang = new Set<string>();

  constructor(private readonly c: Controller) {
    c.store.subscribe(() => this.sync());
    for (const event of ["call_remote_tracks", "call_peer_failed", "call_muted"] as const) {
      c.connection.on(event, (data) => this.controllers.get(data.conversation_id)?.notify(event, data));
    }
  }

  get(conversationId: string): CallController | null {
    return this.controllers.get(conversationId) ?? null;
  }

  /** The call this page is in (or joining), if any. */
  current(): CallController | null {
    for (const calls of this.controllers.values()) {
      if (calls.state.stage.kind === "in-call") return calls;
    }
    return null;
  }

  /** Another conversation's call keeps this page busy: in it, or ringing out from here. */
  busyElsewhere(conversationId: string): boolean {
    for (const [id, calls] of this.controllers) {
      if (id === conversationId) continue;
      const kind = calls.state.stage.kind;
      if (kind === "in-call" || calls.state.busy || (kind === "outgoing" && this.store.record(id))) {
        return true;
      }
    }
    return false;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Rings the visitor of `conversationId`. */
  async start(conversationId: string, media: "audio" | "video" | "screen"): Promise<boolean> {
    if (this.busyElsewhere(conversationId)) return false;
    const calls = this.controllers.get(conversationId) ?? this.create(conversationId);
    const held = this.c.state.convs[conversationId];
    if (held) calls.update(held.conversation);
    return calls.start(media);
  }

  connected(): void {
    for (const calls of this.controllers.values()) calls.connected();
  }

  /** Leaving a conversation (a supervisor): out of its call first. */
  async leave(conversationId: string): Promise<void> {
    const calls = this.controllers.get(conversationId);
    if (calls && calls.state.stage.kind === "in-call") await calls.hangUp();
  }

  private sync(): void {
    const state = this.c.state;
    const me = state.me;
    for (const [id, calls] of this.controllers) {
      const held = state.convs[id];
      if (!held || held.mode === "history" || !me) {
        calls.close();
        this.controllers.delete(id);
      }
    }
    if (!me) return;
    for (const [id, held] of Object.entries(state.convs)) {
      if (held.mode === "history") continue;
      const conv = held.conversation;
      let calls = this.controllers.get(id);
      if (!calls) {
        if (conv.call === "off" && !this.store.record(id)) continue;
        calls = this.create(id);
      }
      calls.update(conv.status === "active" ? conv : null);
      const ringing = conv.call === "ringing" && conv.call_by === "visitor" && conv.agent_id === me.id
        ? conv.call_id : null;
      if (ringing && !this.rang.has(ringing)) {
        this.rang.add(ringing);
        this.c.chime.play("offer");
      }
    }
  }

  private create(conversationId: string): CallController {
    const connection = this.c.connection;
    const calls = new CallController({
      conversationId, side: "agent", store: this.store,
      request: ((event, payload, timeoutMs) =>
        connection.request(event, payload as never, timeoutMs)) as CallRequester,
      connected: () => connection.online,
    });
    calls.subscribe(() => {
      for (const listener of this.listeners) listener();
    });
    this.controllers.set(conversationId, calls);
    return calls;
  }
}
