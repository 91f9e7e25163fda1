// The call of the conversation on screen: one LazyCall per conversation (a new one when the
// shopper moves to another conversation), told of the conversation's call fields, connection
// and notifications; and a word to the widget when a call starts ringing for the shopper.

import type { VisitorConversation } from "../protocol.gen";
import type { CallRequester } from "./engine";
import { LazyCall } from "./lazy";
import type { CallStore } from "./store";

export interface CallFollowerOptions {
  store: CallStore;
  request: CallRequester;
  connected(): boolean;
  /** Where aisle-call.js is loaded from. */
  scriptUrl: string;
  /** A call started ringing for the shopper (the widget opens its panel). */
  ringing(): void;
  /** Anything about the call changed (the widget renders). */
  changed(): void;
}

export class CallFollower {
  private current: LazyCall | null = null;
  private ringingId: string | null = null;

  constructor(private readonly options: CallFollowerOptions) {}

  get call(): LazyCall | null {
    return this.current;
  }

  follow(conv: VisitorConversation | null): void {
    if (this.current && this.current.conversationId !== conv?.id) this.close();
    if (!conv) return;
    if (!this.current) {
      const o = this.options;
      const calls = new LazyCall({
        conversationId: conv.id, side: "visitor", store: o.store, request: o.request,
        connected: () => o.connected(),
      }, o.scriptUrl);
      calls.subscribe(() => {
        const stage = calls.state.stage;
        const ringing = stage.kind === "incoming" ? stage.callId : null;
        if (ringing && ringing !== this.ringingId) o.ringing();
        this.ringingId = ringing;
        o.changed();
      });
      this.current = calls;
    }
    this.current.update(conv.status === "ended" ? null : conv);
  }

  connected(): void {
    this.current?.connected();
  }

  notify(event: string, data: unknown): void {
    this.current?.notify(event, data);
  }

  close(): void {
    this.current?.close();
    this.current = null;
  }
}
