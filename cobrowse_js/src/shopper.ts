// What the shopper does in a conversation, as requests to the server: start one (from the
// pre-chat form), send messages (an outbox, delivered one at a time and in order, kept while the
// connection is down), leave, rate, and stop a recording. Card numbers are masked here, before
// anything is sent. The controller owns the state and the connection; this only uses them.

import { RequestError } from "./connection";
import { clientId } from "./ids";
import { currentPage, hiddenParams } from "./pages";
import type { VisitorConversation, VisitorRequests } from "./protocol.gen";
import { redactCardNumbers } from "./redact";
import { canEnd, isOpen } from "./state/conversation";
import { MAX_COMMENT, MAX_MESSAGE, type PrechatInput } from "./state/prechat";
import { unsent, type Pending } from "./state/transcript";
import type { Action, WidgetState } from "./state/widget";
import { CARD_MASKED, startProblem } from "./state/wording";

export interface ShopperHost {
  state(): WidgetState;
  dispatch(action: Action): void;
  request<K extends keyof VisitorRequests>(
    event: K, payload: VisitorRequests[K]["request"], timeoutMs?: number,
  ): Promise<VisitorRequests[K]["result"]>;
  /** Resolves once the socket is connected (at once if it is); rejects after `timeoutMs`. */
  whenConnected(timeoutMs: number): Promise<void>;
  connected(): boolean;
  /** Catches up on a conversation from the last seq held. */
  resume(conversationId: string): Promise<void>;
  stopTyping(): void;
}

export class ShopperActions {
  /** The start's client id until the server has it: a retried start is stored once. */
  private startId: string | null = null;
  private sendChain: Promise<void> = Promise.resolve();

  constructor(private readonly host: ShopperHost) {}

  async start(input: PrechatInput): Promise<void> {
    if (this.host.state().starting || isOpen(this.host.state().conversation)) return;
    this.host.dispatch({ type: "starting" });
    const id = this.startId ??= clientId();
    const name = input.name.trim();
    const email = input.email.trim();
    const typed = input.message.trim();
    const message = redactCardNumbers(typed);
    let conv: VisitorConversation;
    try {
      await this.host.whenConnected(10_000);
      conv = await this.host.request("start_conversation", {
        topic: input.topic, client_id: id, message,
        fields: { name: name || null, email: email || null },
        page_url: currentPage(hiddenParams(this.host.state().site?.cobrowse)).url,
      }, 15_000);
    } catch (error) {
      await this.startFailed(error);
      return;
    }
    this.startId = null;
    if (name || email) this.host.dispatch({ type: "identity", name, email });
    this.host.dispatch({ type: "conversation", conversation: conv });
    // Shown until its event arrives; it went with the start, so it is never sent again.
    this.host.dispatch({ type: "send", clientId: `${id}:first`, text: message, at: Date.now(),
                    status: "sending" });
    if (message !== typed) this.host.dispatch({ type: "problem", problem: CARD_MASKED });
    // Whatever happened between the server's answer and our first live event.
    await this.host.resume(conv.id);
  }

  private async startFailed(error: unknown): Promise<void> {
    const code = error instanceof RequestError ? error.code : "error";
    if (code === "limit_reached" && error instanceof RequestError) {
      // Another tab started one meanwhile: continue that one.
      const open = error.details?.["conversation_id"];
      this.host.dispatch({ type: "start_failed", problem: null });
      if (typeof open === "string") await this.host.resume(open);
      return;
    }
    if (code === "team_unavailable") {
      this.startId = null;
      try {
        this.host.dispatch({ type: "availability",
                        availability: await this.host.request("get_availability", {}) });
      } catch {
        // The form still says what happened.
      }
    }
    this.host.dispatch({ type: "start_failed", problem: startProblem(code) });
  }

  send(text: string): void {
    const conv = this.host.state().conversation;
    const typed = text.trim();
    if (!conv || conv.status === "ended" || !typed) return;
    if (typed.length > MAX_MESSAGE) {
      this.host.dispatch({ type: "problem",
                           problem: `Messages can be at most ${MAX_MESSAGE} characters.` });
      return;
    }
    this.host.stopTyping();
    const body = redactCardNumbers(typed);
    this.host.dispatch({ type: "send", clientId: clientId(), text: body, at: Date.now() });
    if (body !== typed) this.host.dispatch({ type: "problem", problem: CARD_MASKED });
    this.flush();
  }

  /** Sends unsent messages, one at a time so the server stores them in order. */
  flush(): void {
    const t = this.host.state().transcript;
    if (!t || !this.host.connected()) return;
    for (const p of unsent(t)) {
      this.host.dispatch({ type: "delivery", clientId: p.clientId, status: "sending" });
      const conversationId = t.conversationId;
      this.sendChain = this.sendChain.then(() => this.deliver(conversationId, p));
    }
  }

  private async deliver(conversationId: string, p: Pending): Promise<void> {
    try {
      const sent = await this.host.request("send_message", {
        conversation_id: conversationId, client_id: p.clientId, text: p.text,
      });
      this.host.dispatch({ type: "acked", clientId: p.clientId, seq: sent.seq });
    } catch (error) {
      const code = error instanceof RequestError ? error.code : "error";
      const retry = code === "disconnected" || code === "timeout" || code === "rate_limited";
      // The server could not store it (a full disk, our bug): worth trying again. Anything
      // else it refused would be refused again, and repeated, held against the page.
      const later = code === "storage_unavailable" || code === "internal_error" || code === "error";
      this.host.dispatch({ type: "delivery", clientId: p.clientId,
                           status: retry ? "queued" : later ? "failed" : "refused" });
    }
  }

  async leave(): Promise<void> {
    const conv = this.host.state().conversation;
    if (!conv || !canEnd(conv)) return;  // (a message left stays until the store answers)
    this.host.stopTyping();
    try {
      await this.host.whenConnected(5_000);
      await this.host.request("leave_conversation", { conversation_id: conv.id });
    } catch (error) {
      if (error instanceof RequestError && error.code === "conflict") return;
      this.host.dispatch({ type: "problem",
                           problem: "We couldn't end the chat just now. Please try again." });
    }
  }

  /** Resolves true once the rating is stored. */
  async rate(rating: number, comment: string): Promise<boolean> {
    const conv = this.host.state().conversation;
    if (!conv || conv.status !== "ended" || conv.rating !== null) return false;
    try {
      await this.host.whenConnected(5_000);
      await this.host.request("rate_conversation", {
        conversation_id: conv.id, rating,
        comment: redactCardNumbers(comment.trim().slice(0, MAX_COMMENT)),
      });
    } catch (error) {
      if (!(error instanceof RequestError && error.code === "conflict")) {
        this.host.dispatch({ type: "problem",
                             problem: "We couldn't send your rating. Please try again." });
        return false;
      }
    }
    this.host.dispatch({ type: "problem", problem: null });
    this.host.dispatch({ type: "rated", conversationId: conv.id, rating });
    return true;
  }

  /** Withdraws the consent to recording the call (the call goes on); the conversation's
   * state then says it is not recorded. */
  async stopRecording(kind: "call" | "cobrowse"): Promise<void> {
    const conv = this.host.state().conversation;
    if (!conv) return;
    try {
      await this.host.request("stop_recording", { conversation_id: conv.id, kind });
    } catch {
      this.host.dispatch({ type: "problem",
                           problem: "We couldn't stop the recording just now. Please try again." });
    }
  }
}
