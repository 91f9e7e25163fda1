// The widget's engine: owns the session, the socket and the state; turns server notifications
// into reducer actions, and state changes into side effects (what is stored, what the host page
// hears through Aisle.on, what is marked read). What the shopper does in a conversation (start,
// send, leave, rate) is shopper.ts's, through this. The UI only reads the state and calls the
// methods at the bottom.

import type { CallRequester } from "./call/engine";
import { CallFollower } from "./call/follow";
import type { LazyCall } from "./call/lazy";
import { webCallStore } from "./call/store";
import { CobrowseBridge } from "./cobrowse/bridge";
import { cobrowseRecording } from "./cobrowse/host";
import { Connection, RequestError } from "./connection";
import { Credentials } from "./credentials";
import type { Embed } from "./embed";
import { hiddenParams, watchPages } from "./pages";
import { Profile } from "./profile";
import { ShopperActions } from "./shopper";
import type {
  VisitorConversation, VisitorNotifications, VisitorRequests, VisitorSession,
} from "./protocol.gen";
import { createSession, SESSION_RETRY_MS, SessionError } from "./session";
import { isOpen } from "./state/conversation";
import type { PrechatInput } from "./state/prechat";
import { actionFor } from "./state/notifications";
import { accentColor } from "./state/theme";
import { maxSeq, type Pending } from "./state/transcript";
import {
  initialState, readTarget, reduce, unread, type Action, type WidgetState,
} from "./state/widget";
import { ENDED_KEPT_MS, WidgetStorage } from "./storage";
import { TypingSignal } from "./typing";

export type HostEvent = "ready" | "open" | "close" | "message" | "conversation" | "unread" |
  "unavailable";
export type Emit = (event: HostEvent, payload?: unknown) => void;

/** Forget the agent's typing indicator if no update comes for this long. */
const AGENT_TYPING_STALE_MS = 15_000;
const REFUSALS_BEFORE_GIVING_UP = 5;

export class Controller {
  state: WidgetState = initialState;
  readonly base: string;
  private readonly storage: WidgetStorage;
  private readonly listeners = new Set<() => void>();
  private connection: Connection | null = null;
  private readonly credentials: Credentials;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly typingSignal = new TypingSignal((typing) => {
    const conv = this.state.conversation;
    if (!conv || !isOpen(conv) || !this.connection?.connected) return false;
    this.request("typing", { conversation_id: conv.id, typing }).catch(() => undefined);
    return true;
  });
  private refusals = 0;
  private everConnected = false;
  /** Live "message" events start after the first catch-up, not for history. */
  private caughtUp = false;
  private readonly profile = new Profile((event, payload) => this.request(event, payload),
                                         () => this.connection?.connected ?? false,
                                         () => hiddenParams(this.state.site?.cobrowse));
  /** An ended conversation kept on screen across pages (the CSAT may still be due). */
  private keptEnded: string | null = null;
  private booted = false;
  private markingSeq: number | null = null;
  private readonly resuming = new Map<string, Promise<void>>();
  private stopPages: (() => void) | null = null;
  /** Co-browsing: loads aisle-cobrowse.js when an agent first asks to see the page. */
  private cobrowse: CobrowseBridge | null = null;
  /** The call of the conversation on screen (this tab's connection to it, when in it). */
  private calls: CallFollower | null = null;
  /** What the shopper does in the conversation (start, send, leave, rate). */
  private readonly actions = new ShopperActions({
    state: () => this.state,
    dispatch: (action: Action) => this.dispatch(action),
    request: this.request.bind(this),
    whenConnected: async (timeoutMs: number) => {
      await this.connection?.whenConnected(timeoutMs);
    },
    connected: () => this.connection?.connected ?? false,
    resume: (conversationId: string) => this.resume(conversationId),
    stopTyping: () => this.stopTyping(),
  });

  constructor(private readonly embed: Embed, private readonly emit: Emit) {
    this.base = embed.base;
    this.storage = new WidgetStorage(embed.siteKey);
    this.credentials = new Credentials({
      createSession: () => createSession(this.base, embed.siteKey, this.storage.visitorKey),
      refresh: () => (this.connection?.connected
        ? this.connection.request("refresh_token", {}) : null),
      adopted: (session, renewed) => {
        this.storage.visitorKey = session.visitor_key;
        if (!renewed) return;
        this.dispatch({ type: "availability", availability: session.availability });
        if (session.conversation) this.dispatch({ type: "conversation",
                                                  conversation: session.conversation });
      },
    });
  }

  // ---- state ------------------------------------------------------------------------------

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispatch(action: Action): void {
    const before = this.state;
    const after = reduce(before, action);
    if (after === before) return;
    this.state = after;
    this.effects(before, after);
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  // ---- calls ------------------------------------------------------------------------------

  /** The call of the conversation on screen, once the session exists. */
  get call(): LazyCall | null {
    return this.calls?.call ?? null;
  }

  private effects(before: WidgetState, after: WidgetState): void {
    const conv = after.conversation;
    if (conv !== before.conversation) {
      this.cobrowse?.conversation(conv);
      this.calls?.follow(conv);
    }
    if (this.booted && (conv?.id !== before.conversation?.id ||
                        conv?.status !== before.conversation?.status)) {
      this.rememberCurrent(conv);
      if (conv) this.emit("conversation", { id: conv.id, status: conv.status });
      else this.emit("conversation", null);
    }
    const t = after.transcript;
    if (t && t.events !== before.transcript?.events) {
      this.storage.saveEvents(t.conversationId, t.events);
      if (this.caughtUp) this.announceMessages(before, after);
    }
    if (t && t.pending !== before.transcript?.pending) {
      this.storage.saveOutbox(t.conversationId, t.pending);
    }
    if (after.open !== before.open) {
      this.storage.open = after.open;
      this.emit(after.open ? "open" : "close");
    }
    const count = unread(after);
    if (count !== unread(before)) this.emit("unread", count);
    this.markReadIfSeen();
  }

  private rememberCurrent(conv: VisitorConversation | null): void {
    if (!conv) {
      this.keptEnded = null;
      this.storage.current = null;
      return;
    }
    const keep = conv.status === "ended" ? Date.now() + ENDED_KEPT_MS : null;
    const stored = this.storage.current;
    this.storage.current = { id: conv.id,
                             keepUntil: stored?.id === conv.id && stored.keepUntil && keep
                               ? stored.keepUntil : keep };
  }

  private announceMessages(before: WidgetState, after: WidgetState): void {
    const known = new Set(before.transcript?.conversationId === after.transcript?.conversationId
      ? before.transcript?.events.map((e) => e.seq) : []);
    for (const e of after.transcript?.events ?? []) {
      if (e.type !== "message_created" || known.has(e.seq)) continue;
      this.emit("message", { conversationId: e.conversation_id, seq: e.seq, text: e.data.text,
                             from: e.actor.kind === "agent" ? "agent" : "visitor",
                             name: e.actor.name, ts: e.ts });
    }
  }

  // ---- session ----------------------------------------------------------------------------

  async start(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const session = await createSession(this.base, this.embed.siteKey,
                                            this.storage.visitorKey);
        this.begin(session);
        return;
      } catch (error) {
        const permanent = error instanceof SessionError && error.permanent;
        const delay = SESSION_RETRY_MS[attempt];
        if (permanent || delay === undefined) {
          this.dispatch({ type: "unavailable" });
          this.emit("unavailable");
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private begin(session: VisitorSession): void {
    this.credentials.adopt(session);
    const stored = this.storage.current;
    this.dispatch({ type: "session", session });
    const conv = session.conversation;
    if (conv) {
      this.restore(conv);
    } else if (stored?.keepUntil && stored.keepUntil > Date.now()) {
      this.keptEnded = stored.id;
    } else if (stored) {
      this.storage.current = null;
    }
    this.booted = true;
    if (this.state.conversation) this.rememberCurrent(this.state.conversation);
    if (this.storage.open) this.dispatch({ type: "open" });
    const shown = this.state.conversation;
    this.emit("ready", { visitorId: session.visitor_id,
                         conversation: shown ? { id: shown.id, status: shown.status } : null });
    window.addEventListener("storage", this.onStorage);
    document.addEventListener("visibilitychange", this.onVisibility);
    this.stopPages = watchPages(() => this.profile.reportPage());
    this.cobrowse = new CobrowseBridge({
      siteKey: this.embed.siteKey,
      request: (event, payload, timeoutMs) => this.request(event, payload, timeoutMs),
      connected: () => this.connection?.connected ?? false,
      conversation: () => this.state.conversation,
      accent: () => accentColor(this.state.site?.theme.color ?? ""),
      policy: () => this.state.site?.cobrowse ?? null,
      recording: () => cobrowseRecording(this.state.site),
    }, `${this.base}/aisle-cobrowse.js`);
    this.cobrowse.conversation(this.state.conversation);
    this.calls = new CallFollower({
      store: webCallStore(`aisle:${this.embed.siteKey}:`),
      request: ((event, payload, timeoutMs) =>
        this.request(event, payload as never, timeoutMs)) as CallRequester,
      connected: () => this.connection?.connected ?? false,
      scriptUrl: `${this.base}/aisle-call.js`,
      ringing: () => this.dispatch({ type: "open" }), // a call ringing opens the panel
      changed: () => this.changed(),
    });
    this.calls.follow(this.state.conversation);
    this.connection = new Connection(this.base, {
      token: () => this.credentials.valid(),
      connected: () => void this.onConnected(),
      disconnected: () => this.onDisconnected(),
      refused: () => void this.onRefused(),
      notified: (event, data) => this.onNotification(event, data),
    });
  }

  /** What this browser already has of the conversation: shown at once, resumed from there. */
  private restore(conv: VisitorConversation): void {
    const events = this.storage.events(conv.id);
    const pending: Pending[] = this.storage.outbox(conv.id);
    this.dispatch({ type: "restored", conversation: conv, events, pending });
  }

  // ---- connection -------------------------------------------------------------------------

  private async onConnected(): Promise<void> {
    this.refusals = 0;
    const reconnect = this.everConnected;
    this.everConnected = true;
    this.dispatch({ type: "connection", connection: "online" });
    const conv = this.state.conversation;
    const showing = conv?.id ?? this.keptEnded;
    if (showing) await this.resume(showing);
    this.caughtUp = true;
    if (reconnect) {
      this.request("get_availability", {})
        .then((availability) => this.dispatch({ type: "availability", availability }))
        .catch(() => undefined);
    }
    this.actions.flush();
    this.profile.flush();
    this.profile.reportPage();
    this.markReadIfSeen();
    this.cobrowse?.connected();
    this.calls?.connected();
  }

  private onDisconnected(): void {
    this.typingSignal.reset();
    this.dispatch({ type: "connection", connection: "reconnecting" });
  }

  private async onRefused(): Promise<void> {
    this.refusals += 1;
    if (this.refusals > REFUSALS_BEFORE_GIVING_UP) return; // stay quiet; a reload tries again
    try {
      await this.credentials.renew();
    } catch {
      // Server unreachable or the site refused us: try again later, quietly.
    }
    this.connection?.reconnect(1_000 * 2 ** this.refusals);
  }

  /** Catches up on a conversation from the last seq we hold. `onlyOpen`: adopt it only if it
   * is still open (a notification about a conversation we are not showing). */
  private resume(conversationId: string, onlyOpen = false): Promise<void> {
    // One catch-up per conversation at a time: a second would only fetch the same events.
    let running = this.resuming.get(conversationId);
    if (!running) {
      running = this.catchUp(conversationId, onlyOpen)
        .finally(() => this.resuming.delete(conversationId));
      this.resuming.set(conversationId, running);
    }
    return running;
  }

  private async catchUp(conversationId: string, onlyOpen: boolean): Promise<void> {
    const t = this.state.transcript;
    const after = t?.conversationId === conversationId ? maxSeq(t) : 0;
    try {
      const resumed = await this.request("resume", { conversation_id: conversationId,
                                                      after_seq: after });
      const current = this.state.conversation;
      if (current && current.id !== conversationId && isOpen(current)) return;
      if (onlyOpen && current?.id !== conversationId && !isOpen(resumed.conversation)) return;
      this.dispatch({ type: "resumed", conversation: resumed.conversation,
                      events: resumed.events });
    } catch (error) {
      if (error instanceof RequestError && ["not_found", "forbidden"].includes(error.code)) {
        this.keptEnded = null;
        this.dispatch({ type: "forget", conversationId });
        this.storage.current = null;
      }
    }
  }

  private request<K extends keyof VisitorRequests>(
    event: K, payload: VisitorRequests[K]["request"], timeoutMs?: number,
  ): Promise<VisitorRequests[K]["result"]> {
    if (!this.connection) return Promise.reject(new RequestError("disconnected", "no session"));
    return this.connection.request(event, payload, timeoutMs);
  }

  private onNotification(event: string, data: unknown): void {
    this.cobrowse?.notify(event, data);
    this.calls?.notify(event, data);
    if (event === "session_closed") {
      const closed = data as VisitorNotifications["session_closed"] | null;
      if (closed?.reason === "token_expired") this.credentials.expired();
      return;
    }
    const action = actionFor(event, data);
    if (!action) return;
    switch (action.type) {
      case "conversation": {
        const conv = action.conversation;
        const known = this.state.conversation?.id === conv.id;
        if (!known && !isOpen(conv)) return; // an old one: another tab's business
        this.dispatch(action);
        if (!known && this.state.conversation?.id === conv.id) void this.resume(conv.id);
        return;
      }
      case "queue":
        this.notice(action.conversationId);
        break;
      case "event":
        this.notice(action.event.conversation_id);
        break;
      case "typing":
        clearTimeout(this.agentTypingTimer);
        if (action.typing) {
          this.agentTypingTimer = setTimeout(() => this.dispatch({ ...action, typing: false }),
                                             AGENT_TYPING_STALE_MS);
        }
        break;
    }
    this.dispatch(action);
    if (action.type === "availability" && action.site) this.cobrowse?.siteChanged();
    if (action.type === "availability" && action.site?.enabled === false
        && !isOpen(this.state.conversation)) {
      this.dispatch({ type: "unavailable" });  // turned off: a chat still open may finish
      this.emit("unavailable");
    }
  }

  /** A notification about a conversation we do not show: another tab started it. */
  private notice(conversationId: string): void {
    const current = this.state.conversation;
    if (current?.id === conversationId || (current && isOpen(current))) return;
    void this.resume(conversationId, true);
  }

  private readonly onVisibility = (): void => this.markReadIfSeen();

  private readonly onStorage = (e: StorageEvent): void => {
    if (e.key !== this.storage.keyOf("current") || !e.newValue) return;
    const current = this.storage.current;
    if (current && !current.keepUntil && current.id !== this.state.conversation?.id) {
      this.notice(current.id);
    }
  };

  // ---- the shopper's actions --------------------------------------------------------------

  open(): void {
    this.dispatch({ type: "open", byShopper: true });
  }

  close(): void {
    this.stopTyping();
    this.dispatch({ type: "close" });
  }

  startConversation(input: PrechatInput): Promise<void> {
    return this.actions.start(input);
  }

  send(text: string): void {
    this.actions.send(text);
  }

  /** Sends again the messages the server refused to store (it could not, for a moment). */
  retrySending(): void {
    this.actions.flush();
  }

  /** The shopper typed: tell the agent once, and that they stopped after a pause. */
  typing(): void {
    this.typingSignal.keystroke();
  }

  stopTyping(): void {
    this.typingSignal.stop();
  }

  leave(): Promise<void> {
    return this.actions.leave();
  }

  /** Resolves true once the rating is stored. */
  rate(rating: number, comment: string): Promise<boolean> {
    return this.actions.rate(rating, comment);
  }

  stopRecording(kind: "call" | "cobrowse"): Promise<void> {
    return this.actions.stopRecording(kind);
  }

  newConversation(): void {
    this.keptEnded = null;
    this.dispatch({ type: "reset" });
    // The topics' waits as of now (pushes only say when a team opens or closes).
    this.request("get_availability", {})
      .then((availability) => this.dispatch({ type: "availability", availability }))
      .catch(() => undefined);
  }

  draft(conversationId: string): string {
    return this.storage.draft(conversationId);
  }

  saveDraft(conversationId: string, text: string): void {
    this.storage.saveDraft(conversationId, text);
  }

  /** Marks the agent's messages read when the shopper can see them (once per seq; the local
   * read point moves when the server has it, so a lost request is retried). */
  markReadIfSeen(): void {
    const s = this.state;
    const target = readTarget(s);
    if (target === null || target === this.markingSeq || !s.open || !s.conversation ||
        !this.connection?.connected) return;
    if (typeof document !== "undefined" && document.visibilityState === "hidden") return;
    this.markingSeq = target;
    this.request("mark_read", { conversation_id: s.conversation.id, up_to_seq: target })
      .then(() => this.dispatch({ type: "read", upToSeq: target }))
      .catch(() => undefined)
      .finally(() => {
        if (this.markingSeq === target) this.markingSeq = null;
      });
  }

  // ---- what the store tells us (Aisle.identify / setContext) --------------------------------

  identify(input: unknown): void {
    const identity = this.profile.identify(input);
    if (identity) this.dispatch({ type: "identity", name: identity.name, email: identity.email });
  }

  setContext(input: unknown): void {
    this.profile.setContext(input);
  }

  /** Before `Aisle.reset()` forgets this browser's visitor: a chat under way ends (as if the
   * shopper ended it), not left waiting for its grace period. Best effort, briefly. */
  async endForReset(): Promise<void> {
    const conv = this.state.conversation;
    if (!conv || !isOpen(conv) || conv.status === "offline" || !this.connection?.connected) return;
    try {
      await this.request("leave_conversation", { conversation_id: conv.id }, 3_000);
    } catch {
      // it ends after its grace period instead
    }
  }

  destroy(): void {
    this.credentials.stop();
    this.typingSignal.reset();
    clearTimeout(this.agentTypingTimer);
    window.removeEventListener("storage", this.onStorage);
    document.removeEventListener("visibilitychange", this.onVisibility);
    this.stopPages?.();
    this.cobrowse?.destroy();
    this.calls?.close();
    this.connection?.close();
  }
}
