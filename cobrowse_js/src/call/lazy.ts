// In aisle.js: the call engine's stand-in. Every store page carries it (a few hundred bytes):
// it shows ringing from the conversation's fields, declines and cancels by itself, and loads
// aisle-call.js (the WebRTC engine) only when this page takes part in a call — the shopper
// calls, answers or joins, or the call is on and this tab holds it (the store's next page).

import { loadScript } from "../script";
import type {
  CallControllerOptions, CallEngine, CallState, EngineFactory,
} from "./engine";
import { ENGINE_KEY } from "./engine";
import { type CallFields, callStage } from "./stage";
import type { CallMedia, Source } from "./types";

/** Notifications kept while the engine loads. */
const MAX_QUEUED = 50;

const LOAD_FAILED = "The call could not start: part of the chat did not load. Reload the page " +
  "and try again.";

function loadedFactory(): EngineFactory | null {
  const slot = (window as unknown as Record<symbol, unknown>)[ENGINE_KEY];
  return typeof slot === "function" ? (slot as EngineFactory) : null;
}

export class LazyCall implements CallEngine {
  private engine: CallEngine | null = null;
  private loading: Promise<CallEngine | null> | null = null;
  private fields: CallFields | null = null;
  private busy = false;
  private problem: string | null = null;
  /** A call the person is about to place while they choose about recording. */
  private pendingIntent: CallMedia | null = null;
  private queued: [string, unknown][] = [];
  private closed = false;
  private own: CallState = { stage: { kind: "none" }, busy: false, preview: {}, problem: null,
                             call: null };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: CallControllerOptions,
              private readonly scriptUrl: string) {}

  get conversationId(): string {
    return this.options.conversationId;
  }

  get state(): CallState {
    return this.engine?.state ?? this.own;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  update(fields: CallFields | null): void {
    this.fields = fields;
    if (this.engine) {
      this.engine.update(fields);
      return;
    }
    if (this.holdsActiveCall()) void this.load();
    this.render();
  }

  connected(): void {
    this.engine?.connected();
  }

  notify(event: string, data: unknown): void {
    if (this.engine) this.engine.notify(event, data);
    else if (this.loading && this.queued.length < MAX_QUEUED) this.queued.push([event, data]);
  }

  /** The call the person is about to place (see `intend`). */
  get intent(): CallMedia | null {
    return this.pendingIntent;
  }

  /** Where the site asks for consent to recording, a call is first only intended: the person
   * chooses, then `start`s it (or intends nothing). */
  intend(media: CallMedia | null): void {
    this.pendingIntent = media;
    this.emit();
  }

  async start(media: CallMedia, record = false): Promise<boolean> {
    this.pendingIntent = null;
    const engine = await this.loadFor();
    return engine ? engine.start(media, record) : false;
  }

  async accept(video: boolean, record = false): Promise<boolean> {
    const engine = await this.loadFor();
    return engine ? engine.accept(video, record) : false;
  }

  async decline(): Promise<void> {
    if (this.engine) return this.engine.decline();
    await this.options.request("answer_call", { conversation_id: this.options.conversationId,
                                                accept: false, record: false })
      .catch(() => undefined);
  }

  async hangUp(): Promise<void> {
    if (this.engine) return this.engine.hangUp();
    this.options.store.saveRecord(this.options.conversationId, null);
    await this.options.request("hang_up", { conversation_id: this.options.conversationId })
      .catch(() => undefined);
  }

  join(): void {
    void this.loadFor().then((engine) => engine?.join());
  }

  setMuted(muted: boolean): void {
    this.engine?.setMuted(muted);
  }

  async setSource(source: Source, on: boolean): Promise<void> {
    await this.engine?.setSource(source, on);
  }

  async useDevice(source: "microphone" | "camera", deviceId: string): Promise<void> {
    await this.engine?.useDevice(source, deviceId);
  }

  close(): void {
    this.closed = true;
    this.engine?.close();
    this.listeners.clear();
  }

  /** The call is on and this tab was in it (a new page of the store): join again. */
  private holdsActiveCall(): boolean {
    const f = this.fields;
    if (f?.call !== "active" || !f.call_id) return false;
    const store = this.options.store;
    const record = store.record(this.options.conversationId);
    const holder = store.holder(this.options.conversationId);
    return record?.callId === f.call_id &&
      (!holder || holder.callId !== f.call_id || holder.tab === store.tab);
  }

  /** Loads the engine for an action of the person, showing that something happens. */
  private async loadFor(): Promise<CallEngine | null> {
    if (this.engine) return this.engine;
    this.busy = true;
    this.problem = null;
    this.render();
    const engine = await this.load();
    this.busy = false;
    if (!engine) {
      this.problem = LOAD_FAILED;
      this.render();
    }
    return engine;
  }

  private load(): Promise<CallEngine | null> {
    this.loading ??= (async () => {
      let factory = loadedFactory();
      if (!factory) {
        await loadScript(this.scriptUrl);
        factory = loadedFactory();
      }
      if (!factory || this.closed) return null;
      const engine = factory(this.options);
      engine.subscribe(() => this.emit());
      this.engine = engine;
      engine.update(this.fields);
      const queued = this.queued;
      this.queued = [];
      for (const [event, data] of queued) engine.notify(event, data);
      this.emit();
      return engine;
    })().catch(() => {
      this.loading = null; // try again at the next action
      this.queued = [];
      return null;
    });
    return this.loading;
  }

  private render(): void {
    if (this.engine || this.closed) return;
    const joining = this.holdsActiveCall() ? this.fields?.call_id ?? null : null;
    this.own = { stage: callStage(this.fields, this.options.side, joining), busy: this.busy,
                 preview: {}, problem: this.problem, call: null };
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
