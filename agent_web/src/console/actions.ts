// What the agent does: answer offers, write, transfer, end, look at visitors and past
// conversations, answer offline messages, manage canned responses and their profile, and
// (supervisors) observe or join conversations. Each turns into requests and state changes.
import type { AgentInfo, CannedResponse, ConversationSummary, History, SaveCanned, Transfer } from "../protocol.gen";
import { fieldOf, type FieldProblem } from "../net/fields";
import { RequestError, restError } from "../net/session";
import { CANNED_FIELDS } from "../state/canned";
import { photoProblem } from "../net/photo";
import type { Controller } from "./controller";
import { servingNow } from "../state/conversation";

/** How many chats a search shows (the server allows up to 50). */
export const SEARCH_LIMIT = 20;

function clientId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return `c-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export class Actions {
  private readonly loadingVisitors = new Set<string>();

  constructor(private readonly c: Controller) {}

  private get request() {
    return this.c.connection.request.bind(this.c.connection);
  }

  private async attempt<T>(what: () => Promise<T>, failure?: string): Promise<T | null> {
    try {
      return await what();
    } catch (err) {
      this.c.notify(failure ? `${failure}: ${this.c.explain(err)}` : this.c.explain(err));
      return null;
    }
  }

  // ---- status and offers ----------------------------------------------------------------

  /** `handBack`: going away or offline, the chats being served go back to the queue. */
  async setStatus(status: AgentInfo["status"], handBack = false): Promise<void> {
    const handed = handBack && this.c.state.me ? servingNow(this.c.state.convs, this.c.state.me.id) : [];
    const me = await this.attempt(() => this.request("set_status", { status, hand_back: handBack }),
      "Could not change your status");
    if (me) {
      this.c.dispatch({ type: "me", me });
      this.c.connection.remember(me);
      for (const conv of handed) this.c.dispatch({ type: "tab_close", id: conv.id });
      if (handed.length) {
        this.c.notify(handed.length === 1 ? "Your chat went back to the queue."
          : `Your ${handed.length} chats went back to the queue.`, "info");
      }
    }
  }

  async accept(id: string): Promise<void> {
    try {
      const conversation = await this.request("accept_offer", { conversation_id: id });
      this.c.dispatch({ type: "offer_gone", id });
      this.c.dispatch({ type: "tab_open", conversation, mode: "live", focus: true });
      focusWhenLost(COMPOSER);  // the Accept button is gone: the reply box, not the page
      await this.c.resume(id);
      void this.loadVisitor(conversation.visitor_id);
    } catch (err) {
      this.c.dispatch({ type: "offer_gone", id });
      this.c.notify(err instanceof RequestError && err.code === "conflict"
        ? "That chat is no longer offered to you." : this.c.explain(err));
    }
  }

  /** A chat waiting in the agent's teams, taken from the line (not offered to them). */
  async take(id: string): Promise<void> {
    try {
      const conversation = await this.request("take_conversation", { conversation_id: id });
      this.c.dispatch({ type: "offer_gone", id });
      this.c.dispatch({ type: "tab_open", conversation, mode: "live", focus: true });
      focusWhenLost(COMPOSER);
      await this.c.resume(id);
      void this.loadVisitor(conversation.visitor_id);
    } catch (err) {
      this.c.notify(this.c.explain(err));
    }
  }

  async decline(id: string): Promise<void> {
    this.c.dispatch({ type: "offer_gone", id });
    focusWhenLost(".offer-card [data-accept]", "#main");  // the Decline button is gone
    await this.request("decline_offer", { conversation_id: id }).catch(() => undefined);
  }

  // ---- writing --------------------------------------------------------------------------

  async send(id: string, text: string, note: boolean, reuseClientId?: string): Promise<void> {
    const cid = reuseClientId ?? clientId();
    this.c.dispatch({ type: "pending", id, pending: { clientId: cid, text, note, state: "sending", at: this.c.clock.now() } });
    try {
      const { seq } = await this.request(note ? "send_note" : "send_message",
        { conversation_id: id, client_id: cid, text });
      const held = this.c.state.convs[id];
      // Not in the conversation's room yet (answering an offline message): fetch it.
      if (held && !held.events.some((e) => e.seq === seq)) await this.c.resume(id);
      this.c.dispatch({ type: "pending_done", id, clientId: cid });
    } catch (err) {
      this.c.dispatch({ type: "pending_failed", id, clientId: cid });
      if (!(err instanceof RequestError && err.code === "timeout")) this.c.notify(`Not sent: ${this.c.explain(err)}`);
    }
  }

  retry(id: string, cid: string): void {
    const p = this.c.state.convs[id]?.pending.find((x) => x.clientId === cid);
    if (p) void this.send(id, p.text, p.note, cid);
  }

  discard(id: string, cid: string): void {
    this.c.dispatch({ type: "pending_done", id, clientId: cid });
  }

  /** After a reconnect: what was on its way goes again (the client id makes it idempotent). */
  resendPending(): void {
    for (const [id, conv] of Object.entries(this.c.state.convs)) {
      for (const p of conv.pending) void this.send(id, p.text, p.note, p.clientId);
    }
  }

  typing(id: string, typing: boolean): void {
    if (this.c.connection.online) void this.request("typing", { conversation_id: id, typing }).catch(() => undefined);
  }

  // ---- managing a conversation ----------------------------------------------------------

  async transfer(req: Transfer, label: string): Promise<string | null> {
    try {
      await this.request("transfer", req);
    } catch (err) {
      return this.c.explain(err);
    }
    this.c.dispatch({ type: "tab_close", id: req.conversation_id });
    focusWhenLost(COMPOSER, "[role=tab][aria-selected=true]", "[role=navigation] button");
    this.c.notify(`Transferred to ${label}.`, "info");
    return null;
  }

  async end(id: string): Promise<void> {
    const conversation = await this.attempt(() => this.request("end_conversation", { conversation_id: id }),
      "Could not end the conversation");
    if (conversation) {
      this.c.dispatch({ type: "conversation", conversation });
      focusWhenLost("[data-testid=close-tab]", COMPOSER);
      void this.c.resume(id);
      void this.loadOffline();
      void this.loadVisitor(conversation.visitor_id); // its history line changed
    }
  }

  close(id: string): void {
    this.c.dispatch({ type: "tab_close", id });
  }

  // ---- visitors and history -------------------------------------------------------------

  async loadVisitor(visitorId: string): Promise<void> {
    if (this.loadingVisitors.has(visitorId)) return;
    this.loadingVisitors.add(visitorId);
    try {
      this.c.dispatch({ type: "visitor_details", details: await this.request("get_visitor", { visitor_id: visitorId }) });
    } catch {
      // The panel keeps saying it is loading; the next tab switch tries again.
    } finally {
      this.loadingVisitors.delete(visitorId);
    }
  }

  /** A past conversation, read-only, in its own tab. */
  async openHistory(id: string): Promise<void> {
    if (this.c.state.convs[id]) {
      this.c.dispatch({ type: "tab_focus", id });
      return;
    }
    await this.attempt(async () => {
      const conversation = await this.request("get_conversation", { conversation_id: id });
      this.c.dispatch({ type: "tab_open", conversation, mode: "history", focus: true });
      let before: number | null = null;
      for (let page = 0; page < 20; page++) {
        const h: History = await this.request("get_history", { conversation_id: id, before_seq: before, limit: 200 });
        this.c.dispatch({ type: "log", id, events: h.events, complete: !h.has_more });
        if (!h.has_more || h.events.length === 0) break;
        before = h.events[0]!.seq;
      }
      this.c.dispatch({ type: "seen", id });
    }, "Could not open that conversation");
  }

  /** Conversations found by the shopper's name, email, words or id (ChatSearch); null when
   * the search failed (the agent is told why). */
  async searchConversations(text: string, limit = SEARCH_LIMIT): Promise<ConversationSummary[] | null> {
    return this.attempt(async () => (await this.request("search_conversations",
      { text, limit })).conversations, "Could not search");
  }

  // ---- offline messages -----------------------------------------------------------------

  async loadOffline(): Promise<void> {
    try {
      const inbox = await this.request("list_offline", { include_answered: true });
      this.c.dispatch({ type: "offline", conversations: inbox.conversations });
    } catch {
      // Kept as it was.
    }
  }

  async openOffline(id: string): Promise<void> {
    if (this.c.state.convs[id]) {
      this.c.dispatch({ type: "tab_focus", id });
      return;
    }
    await this.attempt(async () => {
      const conversation = await this.request("get_conversation", { conversation_id: id });
      this.c.dispatch({ type: "tab_open", conversation, mode: "live", focus: true });
      await this.c.resume(id);
      void this.loadVisitor(conversation.visitor_id);
    }, "Could not open that message");
  }

  // ---- supervisors ----------------------------------------------------------------------

  async loadDashboard(): Promise<void> {
    const dashboard = await this.attempt(() => this.request("get_dashboard", {}), "Could not load the dashboard");
    if (dashboard) this.c.dispatch({ type: "dashboard", dashboard });
  }

  async observe(id: string): Promise<void> {
    await this.attempt(async () => {
      const result = await this.request("observe", { conversation_id: id });
      this.c.dispatch({ type: "tab_open", conversation: result.conversation, mode: "observing", focus: true });
      this.c.dispatch({ type: "log", id, conversation: result.conversation, events: result.events, complete: true });
      if (typeof result.visitor_online === "boolean") {
        this.c.dispatch({ type: "presence", presence: { conversation_id: id, side: "visitor", online: result.visitor_online } });
      }
      void this.loadVisitor(result.conversation.visitor_id);
    }, "Could not observe");
  }

  async join(id: string): Promise<void> {
    await this.attempt(async () => {
      const conversation = await this.request("join_conversation", { conversation_id: id });
      this.c.dispatch({ type: "tab_open", conversation, mode: "live", focus: true });
      await this.c.resume(id);
    }, "Could not join");
  }

  /** Asks the shopper to share their page (they are asked; nothing is shared until they allow). */
  async requestCobrowse(id: string): Promise<void> {
    await this.attempt(async () => {
      await this.request("request_cobrowse", { conversation_id: id });
    }, "Could not ask to see the page");
  }

  /** Withdraws a request to see the page the shopper has not answered yet. */
  async cancelCobrowse(id: string): Promise<void> {
    await this.attempt(async () => {
      await this.request("stop_cobrowse", { conversation_id: id });
    }, "Could not withdraw the request");
  }

  async leave(id: string): Promise<void> {
    await this.attempt(async () => {
      await this.c.calls.leave(id); // a participant who leaves ends their call connection
      await this.request("leave_conversation", { conversation_id: id });
      this.c.dispatch({ type: "tab_close", id });
    }, "Could not leave");
  }

  async loadColleagues(): Promise<void> {
    try {
      this.c.dispatch({ type: "colleagues", colleagues: await this.request("list_agents", {}) });
    } catch {
      // The transfer dialog says so.
    }
  }

  // ---- canned responses -----------------------------------------------------------------

  /** Null when saved; else why not, and the form field it is about when the server says. */
  async saveCanned(req: SaveCanned): Promise<FieldProblem | null> {
    try {
      const saved: CannedResponse = await this.request("save_canned", req);
      this.c.dispatch({ type: "canned_saved", canned: saved });
      return null;
    } catch (err) {
      return { text: this.c.explain(err), field: fieldOf(err, CANNED_FIELDS) };
    }
  }

  async deleteCanned(id: string): Promise<string | null> {
    try {
      await this.request("delete_canned", { id });
      this.c.dispatch({ type: "canned_deleted", id });
      return null;
    } catch (err) {
      return this.c.explain(err);
    }
  }

  // ---- profile --------------------------------------------------------------------------

  async updateProfile(displayName: string): Promise<string | null> {
    try {
      const me = await this.request("update_profile", { display_name: displayName });
      this.c.dispatch({ type: "me", me });
      this.c.connection.remember(me);
      return null;
    } catch (err) {
      return this.c.explain(err);
    }
  }

  /** Upload a photo; the error message to show, or null when it worked. */
  /** Whether the agent has conversations of their own to replay (their store allows it): the
   * console then links to the review player. Asked over REST, as the player asks. */
  async loadOwnRecordings(): Promise<void> {
    const token = this.c.connection.token;
    if (!token) return;
    try {
      const resp = await fetch("/api/v1/recordings?limit=1", { headers: { Authorization: `Bearer ${token}` } });
      if (!resp.ok) return;
      const body = await resp.json() as { total?: unknown };
      this.c.dispatch({ type: "own_recordings", any: typeof body.total === "number" && body.total > 0 });
    } catch {
      // Unreachable now: the next sync asks again.
    }
  }

  async uploadPhoto(file: File): Promise<string | null> {
    const problem = photoProblem(file.type, file.size);
    if (problem) return problem;
    const token = this.c.connection.token;
    if (!token) return "You are signed out.";
    let resp: Response;
    try {
      resp = await fetch("/api/v1/agents/me/photo", {
        method: "POST", body: file,
        headers: { "Content-Type": file.type, Authorization: `Bearer ${token}` },
      });
    } catch {
      return "The upload did not reach the server. Check your connection and try again.";
    }
    if (!resp.ok) {
      const err = await restError(resp);
      return `The server refused the photo: ${err.message}.`;
    }
    const { photo_url } = (await resp.json()) as { photo_url: string };
    const me = this.c.state.me;
    if (me) {
      const next = { ...me, photo_url };
      this.c.dispatch({ type: "me", me: next });
      this.c.connection.remember(next);
    }
    return null;
  }
}

const COMPOSER = ".composer textarea";

/** After an action that removed the focused control (an offer's Accept, a dialog's button):
 * once the page has updated, focus the first of `selectors` there, unless the agent has put
 * the focus somewhere already. */
function focusWhenLost(...selectors: string[]): void {
  const later = typeof requestAnimationFrame === "function" ? requestAnimationFrame
    : (f: () => void) => setTimeout(f, 0);
  later(() => later(() => {
    const active = document.activeElement;
    if (active && active !== document.body) return;
    for (const selector of selectors) {
      const el = document.querySelector<HTMLElement>(selector);
      if (el) {
        el.focus();
        return;
      }
    }
  }));
}
