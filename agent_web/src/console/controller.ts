// The console's behaviour: turns server notifications into state, keeps every open
// conversation's log complete (resume from the highest contiguous seq after a gap or a
// reconnect), marks what the agent is looking at as read, and rings for offers and messages.
import type { Conversation, ConversationSummary, LogEvent } from "../protocol.gen";
import { type Action, type AppState, initialState, isReviewer, isSupervisor, reduce, totalUnread } from "../state/app";
import { backgroundMessage, titleFor, isWatching } from "../state/attention";
import { canWrite, type ConvState, readMarkToSend, readsCount, roleIn, visitorLabel } from "../state/conversation";
import { contiguousSeq, firstVisitorMessage, hasGap, highestSeq, isContent, offerExpiry, transferNote } from "../state/log";
import { type Offer, offerTitle } from "../state/offers";
import { createStore, type Store } from "../state/store";
import { ServerClock } from "../state/time";
import { RequestError } from "../net/session";
import { ConsoleCalls } from "../call/calls";
import { Chime } from "./chime";
import { clearActiveTab, loadActiveTab, saveActiveTab } from "../state/activetab";
import { clearDrafts } from "../state/drafts";
import { Connection } from "./connection";
import { Actions } from "./actions";

export class Controller {
  readonly store: Store<AppState, Action> = createStore(reduce, initialState);
  readonly clock = new ServerClock();
  readonly chime = new Chime();
  readonly connection: Connection;
  readonly actions: Actions;
  /** Calls in the open conversations (this page's connection to one of them). */
  readonly calls: ConsoleCalls;
  /** Why the agent was signed out, for the login screen. */
  signOutReason: string | null = null;
  private readonly resuming = new Map<string, Promise<void>>();
  private readonly resumeAgain = new Set<string>();
  private readonly marking = new Map<string, number>();
  private readonly adopting = new Set<string>();
  private noticeSeq = 0;
  private announceSeq = 0;
  /** The front tab is kept for a reload only once the first sync has put the remembered one
   * back (before that, "none yet" would erase it). */
  private tabRestored = false;
  private keptTab: string | null | undefined;

  constructor(storage: Storage = window.localStorage) {
    this.connection = new Connection({
      signedIn: (me) => {
        this.signOutReason = null;
        this.marking.clear();
        this.resumeAgain.clear();
        this.tabRestored = false;
        this.keptTab = undefined;
        this.store.dispatch({ type: "signed_in", me });
        this.store.dispatch({ type: "connection", connection: "connecting" });
      },
      signedOut: (reason) => {
        this.signOutReason = reason;
        // Signing out on purpose leaves nothing behind for the next person at the desk; a
        // session that ended on its own keeps them for the same agent's next sign-in.
        if (reason === null) forgetTab();
        this.store.dispatch({ type: "signed_out" });
      },
      connected: (recovered) => {
        this.store.dispatch({ type: "connection", connection: "connected" });
        void this.sync(recovered);
        this.calls?.connected();
      },
      disconnected: (willRetry) => {
        this.store.dispatch({ type: "connection", connection: willRetry ? "reconnecting" : "disconnected" });
      },
    }, storage);
    this.actions = new Actions(this);
    this.calls = new ConsoleCalls(this);
    this.listen();
    this.store.subscribe(() => this.afterChange());
    const active = (): void => this.store.dispatch({
      type: "page_active", active: document.visibilityState === "visible" && document.hasFocus(),
    });
    document.addEventListener("visibilitychange", active);
    window.addEventListener("focus", active);
    window.addEventListener("blur", active);
    active();
  }

  get state(): AppState {
    return this.store.get();
  }

  dispatch(action: Action): void {
    this.store.dispatch(action);
  }

  notify(text: string, tone: "error" | "info" = "error"): void {
    const id = ++this.noticeSeq;
    this.dispatch({ type: "notice", notice: { id, tone, text } });
    setTimeout(() => this.dispatch({ type: "notice_dismiss", id }), tone === "error" ? 8_000 : 5_000);
  }

  /** An error as one sentence for a notice. */
  explain(err: unknown): string {
    if (err instanceof RequestError) return err.message.charAt(0).toUpperCase() + err.message.slice(1);
    return "Something went wrong. Try again.";
  }

  start(): void {
    this.connection.restore();
  }

  // ---- server → state -------------------------------------------------------------------

  private listen(): void {
    const c = this.connection;
    c.onLogEvent((e) => this.onLogEvent(e));
    c.on("conversation_updated", ({ conversation }) => this.onConversation(conversation));
    c.on("offer_received", (o) => {
      this.dispatch({ type: "offer", offer: {
        conversation: o.conversation, summary: o.summary, expiresAt: o.expires_at,
        offeredAt: Math.min(this.clock.now(), o.expires_at), transferNote: o.transfer_note,
      } });
      this.chime.play("offer");
    });
    c.on("offer_updated", ({ summary }) => this.dispatch({ type: "offer_summary", summary }));
    c.on("set_away", ({ missed }) => this.notify(`You did not answer ${missed} chats in a row, so your status is now Away: new chats go to your colleagues. Set yourself Online when you are back.`));
    c.on("offer_withdrawn", ({ conversation_id, reason }) => {
      const offer = this.state.offers.find((o) => o.conversation.id === conversation_id);
      this.dispatch({ type: "offer_gone", id: conversation_id });
      if (offer && (reason === "timeout" || reason === "ended")) {
        const who = offerTitle(offer);
        this.notify(reason === "timeout" ? `The chat with ${who} was not answered in time: it is waiting for the next free agent.`
          : `The chat with ${who} ended before it was answered.`, "info");
      }
    });
    c.on("team_queue_updated", ({ team, waiting }) => this.dispatch({ type: "queue_team", team, waiting }));
    c.on("visitor_updated", ({ visitor }) => this.dispatch({ type: "visitor_profile", visitor }));
    c.on("agent_updated", ({ agent }) => {
      if (agent.id !== this.state.me?.id) return;
      this.dispatch({ type: "me", me: agent });
      this.connection.remember(agent);
    });
    c.on("dashboard_updated", ({ dashboard }) => {
      this.dispatch({ type: "dashboard", dashboard });
      // Supervisors wait on every team, but get team_queue_updated only for their own.
      this.dispatch({ type: "queue_snapshot", conversations: dashboard.queues.flatMap((q) => q.waiting) });
    });
    c.on("presence_changed", (presence) => this.dispatch({ type: "presence", presence }));
    // A message left for one of the agent's teams arrived, was answered or closed: the Offline
    // badge follows at once, whichever view is open.
    c.on("offline_inbox_changed", () => void this.actions.loadOffline());
    // A canned response was added, changed or deleted (in another tab, or a supervisor's team
    // response): the composer suggests what is there now.
    c.on("canned_changed", () => void this.reloadCanned());
    c.on("typing_changed", (typing) => this.dispatch({ type: "typing", typing }));
    c.on("session_closed", ({ reason }) => {
      if (reason === "token_expired") this.connection.logout("Your session has expired. Please sign in again.");
      else if (reason === "account_disabled") {
        forgetTab(); // nobody signs in again as them: their drafts go
        this.connection.logout("Your account has been disabled. Ask your supervisor if this is a mistake.");
      } else if (reason === "signed_out") {
        forgetTab(); // their password or sessions were reset: perhaps not by them
        this.connection.logout("You were signed out: your password, your role or your sessions were changed. Sign in again.");
      } else this.notify("The server closed the connection after too many errors; reconnecting…");
    });
  }

  private onLogEvent(e: LogEvent): void {
    this.clock.observe(e.ts);
    const held = this.state.convs[e.conversation_id];
    if (!held) {
      void this.adopt(e.conversation_id);
      return;
    }
    const gap = e.seq > highestSeq(held.events) + 1 && held.loaded;
    this.dispatch({ type: "log", id: e.conversation_id, events: [e] });
    if (gap || !held.loaded) void this.resume(e.conversation_id);
    // Ring for conversations the agent answers in, not for ones they only watch.
    const me = this.state.me;
    if (me && isContent(e) && !(e.actor.kind === "agent" && e.actor.id === me.id)
        && canWrite(roleIn(held, me.id, isSupervisor(me))) && !isWatching(this.focus(), e.conversation_id)) {
      this.chime.play("message");
      if (e.type === "message_created" && e.actor.kind === "visitor") this.announceBackground(held, e.data.text);
    }
  }

  /** A shopper wrote in a chat out of sight: the chime's words, for screen readers. */
  private announceBackground(held: ConvState, text: string): void {
    const s = this.state;
    const inFront = s.view === "inbox" ? s.activeTab : null;
    const name = visitorLabel(held.conversation, s.visitors[held.conversation.visitor_id]?.visitor.name);
    const said = backgroundMessage(held.conversation.id, inFront, name, text);
    if (said) this.dispatch({ type: "announce", announcement: { id: ++this.announceSeq, text: said } });
  }

  private onConversation(conversation: Conversation): void {
    const held = this.state.convs[conversation.id];
    if (held) {
      this.dispatch({ type: "conversation", conversation });
      if (conversation.last_seq > highestSeq(held.events)) void this.resume(conversation.id);
      return;
    }
    void this.adopt(conversation.id, conversation);
  }

  /** A conversation we hear about without a tab: ours if we hold it (accepted in another
   * window, say), otherwise none of our business here. */
  private async adopt(id: string, known?: Conversation): Promise<void> {
    const me = this.state.me;
    if (!me || this.adopting.has(id)) return;
    this.adopting.add(id);
    try {
      const conv = known ?? await this.connection.request("get_conversation", { conversation_id: id });
      const mine = conv.status === "active"
        && (conv.agent_id === me.id || conv.participants.some((p) => p.agent_id === me.id));
      if (!mine || this.state.convs[id]) return;
      this.dispatch({ type: "tab_open", conversation: conv, mode: "live", focus: false });
      await this.resume(id);
      if (this.tabRestored) this.restoreTab();  // in front if no other tab is
    } catch {
      // Not readable for us: ignore.
    } finally {
      this.adopting.delete(id);
    }
  }

  /** Fetch what follows the held log (and the conversation now); one at a time per tab. */
  resume(id: string): Promise<void> {
    const running = this.resuming.get(id);
    if (running) {
      this.resumeAgain.add(id);
      return running;
    }
    const run = (async () => {
      do {
        this.resumeAgain.delete(id);
        const held = this.state.convs[id];
        if (!held || held.mode === "history") return;
        try {
          const result = await this.connection.request("resume", {
            conversation_id: id, after_seq: contiguousSeq(held.events),
          });
          this.dispatch({ type: "log", id, conversation: result.conversation, events: result.events, complete: true });
          if (typeof result.visitor_online === "boolean") {
            this.dispatch({ type: "presence", presence: { conversation_id: id, side: "visitor", online: result.visitor_online } });
          }
        } catch (err) {
          if (err instanceof RequestError && (err.code === "forbidden" || err.code === "not_found")) {
            this.dispatch({ type: "tab_close", id });
            this.notify("That conversation is no longer available to you.", "info");
          }
          return;
        }
        const now = this.state.convs[id];
        if (now && hasGap(now.events, now.conversation.last_seq)) this.resumeAgain.add(id);
      } while (this.resumeAgain.has(id) && this.connection.online);
    })().finally(() => this.resuming.delete(id));
    this.resuming.set(id, run);
    return run;
  }

  // ---- (re)connection -------------------------------------------------------------------

  /** After every connect: what we hold, what is offered, the queue, and the rest. */
  private async sync(recovered: boolean): Promise<void> {
    const c = this.connection;
    const me = this.state.me;
    if (!me) return;
    try {
      const mine = await c.request("list_conversations", {});
      for (const conv of mine.conversations) {
        const observing = conv.participants.some((p) => p.agent_id === me.id && p.role === "observer");
        this.dispatch({ type: "tab_open", conversation: conv, mode: observing ? "observing" : "live", focus: false });
      }
      await Promise.all(this.state.tabs
        .filter((id) => this.state.convs[id]?.mode !== "history")
        .map((id) => this.resume(id)));
      // After the logs, so that "most recent" knows the last messages.
      this.tabRestored = true;
      this.restoreTab();
      await this.restoreOffers(mine.offers);
      if (recovered) this.actions.resendPending();
      this.dispatch({ type: "queue_snapshot", conversations: (await c.request("get_queue", {})).conversations });
      this.dispatch({ type: "canned", canned: (await c.request("list_canned", {})).responses });
      this.dispatch({ type: "topics", topics: await c.request("list_topics", {}) });
      await this.actions.loadOffline();
      if (isSupervisor(me)) await this.actions.loadDashboard();
      if (!isReviewer(me)) await this.actions.loadOwnRecordings();
    } catch (err) {
      if (this.connection.online) this.notify(`Could not load everything: ${this.explain(err)}`);
    }
  }

  private async reloadCanned(): Promise<void> {
    try {
      this.dispatch({ type: "canned", canned: (await this.connection.request("list_canned", {})).responses });
    } catch {
      // Offline: the next sync lists them.
    }
  }

  /** With no tab in front: the one this browser tab had before a reload, if it is still open,
   * else the agent's own live chat before a message left (state/app.ts `preferredTab`). */
  private restoreTab(): void {
    const me = this.state.me;
    const storage = tabStorage();
    this.dispatch({ type: "tab_restore", remembered: me && storage ? loadActiveTab(storage, me.id) : null });
  }

  /** Offers pending at connect come without their expiry: it is in their log. */
  private async restoreOffers(offered: Conversation[]): Promise<void> {
    const me = this.state.me;
    if (!me) return;
    const offers: Offer[] = [];
    for (const conv of offered) {
      try {
        const { events } = await this.connection.request("resume", { conversation_id: conv.id, after_seq: 0 });
        const expiresAt = offerExpiry(events, me.id);
        if (expiresAt === null) continue;
        const summary: ConversationSummary = {
          id: conv.id, site_id: conv.site_id, status: conv.status, topic: conv.topic, team: conv.team,
          visitor_id: conv.visitor_id, visitor_name: conv.fields.name, agent_id: conv.agent_id,
          created_at: conv.created_at, queued_at: conv.queued_at, ended_at: conv.ended_at,
          last_message: firstVisitorMessage(events), last_seq: conv.last_seq, rating: conv.rating,
          agent_replied: events.some((e) => e.type === "message_created" && e.actor.kind === "agent"),
        };
        offers.push({ conversation: conv, summary, expiresAt, offeredAt: Math.min(this.clock.now(), expiresAt),
                      transferNote: transferNote(events) });
      } catch {
        // Gone meanwhile.
      }
    }
    this.dispatch({ type: "offers", offers });
  }

  // ---- state → side effects -------------------------------------------------------------

  focus(): { pageActive: boolean; inboxOpen: boolean; activeTab: string | null } {
    const s = this.state;
    return { pageActive: s.pageActive, inboxOpen: s.view === "inbox", activeTab: s.activeTab };
  }

  private afterChange(): void {
    const s = this.state;
    if (typeof document !== "undefined") document.title = titleFor(s.offers.length, totalUnread(s));
    if (this.tabRestored && s.me && s.activeTab !== this.keptTab) {
      this.keptTab = s.activeTab;
      const storage = tabStorage();
      if (storage) saveActiveTab(storage, s.me.id, s.activeTab);
    }
    const id = s.activeTab;
    if (!id || !s.me || !isWatching(this.focus(), id)) return;
    const conv = s.convs[id];
    if (!conv) return;
    if (highestSeq(conv.events) > conv.seenSeq) {
      this.dispatch({ type: "seen", id });
      return; // dispatch re-enters afterChange
    }
    const seq = readMarkToSend(conv);
    if (seq === null || !readsCount(roleIn(conv, s.me.id, isSupervisor(s.me)))) return;
    if ((this.marking.get(id) ?? 0) >= seq || !this.connection.online) return;
    this.marking.set(id, seq);
    this.connection.request("mark_read", { conversation_id: id, up_to_seq: seq }).catch(() => {
      this.marking.delete(id);
    });
  }
}


/** The tab's sessionStorage, where it can be used. */
function tabStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Signing out on purpose: what this browser kept for the agent goes (drafts, in
 * localStorage; the tab in front, in this tab's sessionStorage). */
function forgetTab(): void {
  try {
    clearDrafts(window.localStorage);
  } catch {
    // no storage: nothing kept
  }
  const storage = tabStorage();
  if (storage) clearActiveTab(storage);
}
