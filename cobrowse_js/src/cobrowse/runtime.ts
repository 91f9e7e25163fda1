// Co-browsing on the shopper's page (aisle-cobrowse.js): the consent steps, the recorder while
// this tab shares, the agent's pointer and drawings, and remote control. The shopper's consent
// lives in this tab's sessionStorage, so the next page of the store (or a reload) goes on
// sharing — and only this tab does. The server logs every step; this side only asks and shows.

import { record } from "@rrweb/record";

import type { CommandRequested, PointerMoved, VisitorConversation } from "../protocol.gen";
import { apply, elementAt } from "./control";
import type { CobrowseHost, CobrowseRuntime } from "./host";
import { watchPages } from "../pages";
import { policyHere, Recorder, samePolicy } from "./recorder";
import { emptyView, mountView, type ViewState } from "./ui";

/** Pointer, highlight and drawings disappear after this long without news. */
const POINTER_IDLE_MS = 5_000;
const MARK_MS = 4_000;
const NOTICE_MS = 5_000;

interface Shared {
  conversationId: string;
  agent: string;
  control: boolean;
}

interface LogLike {
  conversation_id?: string;
  seq?: number;
  ts?: number;
  actor?: { name?: string | null };
  data?: Record<string, unknown>;
}

class Runtime implements CobrowseRuntime {
  private view: ViewState;
  private readonly layer;
  private recorder: Recorder | null = null;
  private readonly key: string;
  /** The highest seq of a co-browse log event seen: older snapshots do not undo it. */
  private eventSeq = 0;
  private strokeId = 0;
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private snapshotOnConnect = false;
  /** The address the recorder last told the server of. */
  private sharedHref = "";
  private readonly stopWatching: () => void;

  constructor(private readonly host: CobrowseHost) {
    this.key = `aisle:${host.siteKey}:cobrowse`;
    this.view = { ...emptyView, accent: host.accent(), recording: host.recording() };
    this.layer = mountView({
      answerView: (allow, record) => void this.answerView(allow, record),
      stop: () => void this.stop(),
      stopRecording: () => void this.stopRecording(),
      answerControl: (allow) => void this.answerControl(allow),
      revokeControl: () => void this.revoke(),
    });
    window.addEventListener("keydown", this.onKey, true);
    window.addEventListener("pagehide", this.onPageHide);
    this.stopWatching = watchPages(() => this.pageMoved(), null);
    this.render();
  }

  // ---- memory (this tab) ------------------------------------------------------------------

  private get shared(): Shared | null {
    try {
      const raw = sessionStorage.getItem(this.key);
      return raw ? (JSON.parse(raw) as Shared) : null;
    } catch {
      return null;
    }
  }

  private set shared(value: Shared | null) {
    try {
      if (value) sessionStorage.setItem(this.key, JSON.stringify(value));
      else sessionStorage.removeItem(this.key);
    } catch {
      // No storage: sharing ends with this page.
    }
  }

  // ---- view -------------------------------------------------------------------------------

  private set(change: Partial<ViewState>): void {
    this.view = { ...this.view, ...change };
    this.render();
  }

  private render(): void {
    this.layer.update(this.view);
  }

  private later(name: string, ms: number, fn: () => void): void {
    clearTimeout(this.timers.get(name));
    this.timers.set(name, setTimeout(() => {
      this.timers.delete(name);
      fn();
    }, ms));
  }

  private notice(text: string): void {
    this.set({ notice: text });
    this.later("notice", NOTICE_MS, () => this.set({ notice: null }));
  }

  // ---- sharing ----------------------------------------------------------------------------

  private startSharing(conversationId: string, agent: string): void {
    this.set({ sharingWith: agent, askView: null });
    if (this.recorder) return;
    const recorder = new Recorder({
      send: async (sessionId, part) => {
        try {
          const ack = await this.host.request("cobrowse_batch", {
            conversation_id: conversationId, session_id: sessionId, ...part });
          const pageRecorded = ack.recorded ?? this.view.pageRecorded;
          if (pageRecorded !== this.view.pageRecorded) this.set({ pageRecorded });
          return ack.snapshot_needed;
        } catch (error) {
          // Co-browsing is not on any more (ended while we were not listening).
          if ((error as { code?: unknown } | null)?.code === "conflict") this.endSharing();
          throw error;
        }
      },
      broken: () => {
        if (this.host.connected()) this.recorder?.snapshot();
        else this.snapshotOnConnect = true;
      },
    }, this.host.policy());
    this.recorder = recorder;
    this.sharedHref = location.href;
    recorder.start();
  }

  /** The rules may differ at the new address of a single-page app (its checkout): the page
   * starts over under them; otherwise the server is told where the page is now. */
  private pageMoved(): void {
    const recorder = this.recorder;
    if (!recorder || location.href === this.sharedHref) return;
    this.sharedHref = location.href;
    if (!samePolicy(policyHere(this.host.policy()), recorder.policy)) this.restartSharing();
    // Off a page the site does not record: a snapshot, which recording starts again from.
    else if (this.view.pageRecorded === false) recorder.snapshot();
    else recorder.moved();
  }

  /** A new page session from a full snapshot, under the rules of the page as it is now. */
  private restartSharing(): void {
    const conv = this.host.conversation();
    const shared = this.shared;
    if (!this.recorder || !conv || shared?.conversationId !== conv.id) return;
    this.recorder.stop();
    this.recorder = null;
    this.startSharing(conv.id, shared.agent);
  }

  private endSharing(message: string | null = null): void {
    this.recorder?.stop();
    this.recorder = null;
    this.shared = null;
    this.set({ sharingWith: null, recorded: null, pageRecorded: null, controlBy: null,
               askControl: null, pointer: null, highlight: null, strokes: [], flash: null });
    if (message) this.notice(message);
  }

  /** `record`: the shopper's consent to recording, where the site asks for it. */
  private async answerView(allow: boolean, record: boolean): Promise<void> {
    const conv = this.host.conversation();
    const agent = this.view.askView ?? "the agent";
    this.set({ askView: null });
    if (!conv) return;
    // Remembered before answering: the next page must know this tab agreed.
    if (allow) this.shared = { conversationId: conv.id, agent, control: false };
    try {
      await this.host.request("answer_cobrowse", { conversation_id: conv.id, allow,
                                                   record: allow && record });
      if (allow) this.startSharing(conv.id, agent);
    } catch {
      if (allow) this.shared = null;
    }
  }

  private async stop(): Promise<void> {
    const conv = this.host.conversation();
    this.endSharing();
    if (conv) await this.host.request("stop_cobrowse", { conversation_id: conv.id }).catch(() => undefined);
  }

  private async stopRecording(): Promise<void> {
    const conv = this.host.conversation();
    if (!conv) return;
    try {
      await this.host.request("stop_recording", { conversation_id: conv.id, kind: "cobrowse" });
      this.set({ recorded: false });
    } catch {
      this.notice("The recording could not be stopped. Please try again.");
    }
  }

  private async answerControl(allow: boolean): Promise<void> {
    const conv = this.host.conversation();
    this.set({ askControl: null });
    if (conv) {
      await this.host.request("answer_control", { conversation_id: conv.id, allow })
        .catch(() => undefined);
    }
  }

  private async revoke(): Promise<void> {
    const conv = this.host.conversation();
    this.setControl(null);
    if (conv) await this.host.request("revoke_control", { conversation_id: conv.id }).catch(() => undefined);
  }

  private setControl(agent: string | null): void {
    const shared = this.shared;
    if (shared) this.shared = { ...shared, control: agent !== null };
    this.set({ controlBy: agent, askControl: null });
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key !== "Escape" || !e.isTrusted) return;
    if (this.view.controlBy) void this.revoke();
    else if (this.view.askControl) void this.answerControl(false);
  };

  private readonly onPageHide = (): void => this.recorder?.leaving();

  // ---- the server -------------------------------------------------------------------------

  notify(event: string, data: unknown): void {
    const conv = this.host.conversation();
    const e = (data ?? {}) as LogLike;
    if (!conv || e.conversation_id !== conv.id) return;
    if (typeof e.seq === "number") this.eventSeq = Math.max(this.eventSeq, e.seq);
    const sharedHere = this.shared?.conversationId === conv.id;
    const who = e.actor?.name || conv.agent?.display_name || "The agent";
    switch (event) {
      case "cobrowse_requested":
        if (!this.recorder) this.set({ askView: who });
        break;
      case "cobrowse_started":
        this.set({ askView: null, recorded: typeof e.data?.["recorded"] === "boolean"
          ? e.data["recorded"] as boolean : null });
        if (sharedHere && !this.recorder) this.startSharing(conv.id, this.shared!.agent);
        break;
      case "cobrowse_ended":
        this.set({ askView: null });
        if (this.recorder || sharedHere) {
          this.endSharing(e.data?.["by"] === "agent" ? `${who} stopped viewing` : null);
        }
        break;
      case "conversation_ended":
        this.set({ askView: null });
        this.endSharing();
        break;
      case "control_requested": {
        if (!sharedHere) break;
        const expires = Number(e.data?.["expires_at"]);
        const lapse = Number.isFinite(expires) && typeof e.ts === "number"
          ? Math.max(0, expires - e.ts) : 30_000;
        this.set({ askControl: { agent: who, expiresAt: Date.now() + lapse } });
        this.later("control-lapse", lapse, () => this.set({ askControl: null }));
        break;
      }
      case "control_granted":
        if (sharedHere) this.setControl(this.shared!.agent);
        break;
      case "control_ended": {
        const by = e.data?.["by"];
        const had = this.view.controlBy;
        this.setControl(null);
        if (by === "agent" && had) this.notice(`${had} gave control back`);
        else if (by === "system") this.notice("The control request expired");
        break;
      }
      case "snapshot_requested":
        this.recorder?.snapshot();
        break;
      case "pointer_moved":
        if (this.recorder) this.pointer(data as PointerMoved);
        break;
      case "cobrowse_command":
        void this.command(data as CommandRequested);
        break;
    }
  }

  conversation(conv: VisitorConversation | null): void {
    if (!conv || conv.status === "ended") {
      this.set({ askView: null });
      if (this.recorder || this.shared) this.endSharing();
      return;
    }
    if (conv.last_seq < this.eventSeq) return; // older than what we heard since
    const shared = this.shared?.conversationId === conv.id ? this.shared : null;
    if (conv.cobrowse === "on" && shared) this.startSharing(conv.id, shared.agent);
    else if (conv.cobrowse === "off" && (this.recorder || shared)) this.endSharing();
    if (conv.cobrowse === "requested" && !this.view.askView) {
      this.set({ askView: conv.agent?.display_name ?? "The agent" });
    } else if (conv.cobrowse !== "requested" && this.view.askView) {
      this.set({ askView: null });
    }
    if (!shared || conv.cobrowse !== "on") return;
    const recorded = conv.cobrowse_recorded ?? null;
    if (recorded !== this.view.recorded) this.set({ recorded });
    if (conv.control === "on") this.setControl(shared.agent);
    else if (conv.control === "off" && this.view.controlBy) this.setControl(null);
  }

  siteChanged(): void {
    this.set({ accent: this.host.accent(), recording: this.host.recording() });
    // New masking rules while sharing: the page starts over under them, so what they hide is
    // gone from the agent's view now, not only from the next page; remote control follows
    // them at once too.
    if (this.recorder && !samePolicy(policyHere(this.host.policy()), this.recorder.policy)) {
      this.restartSharing();
    }
  }

  connected(): void {
    // Whatever was sent while the socket was down is lost: the agent needs a new snapshot.
    if (this.recorder || this.snapshotOnConnect) {
      this.snapshotOnConnect = false;
      this.recorder?.snapshot();
    }
  }

  // ---- the agent's tools ------------------------------------------------------------------

  private findNode(target: PointerMoved["target"]): Element | null {
    if (!target) return null;
    const node = target.node_id !== null ? record.mirror.getNode(target.node_id) : null;
    const el = node ? (node.nodeType === 1 ? (node as Element) : node.parentElement) : null;
    return el?.isConnected ? el : elementAt(target.x, target.y);
  }

  private pointer(p: PointerMoved): void {
    const name = p.agent_name;
    switch (p.kind) {
      case "move":
        if (!p.target) break;
        this.set({ pointer: { name, x: p.target.x, y: p.target.y } });
        this.later("pointer", POINTER_IDLE_MS, () => this.set({ pointer: null }));
        break;
      case "scroll_to":
      case "highlight": {
        const el = this.findNode(p.target);
        if (!el) break;
        if (p.kind === "scroll_to") el.scrollIntoView({ block: "center", behavior: "smooth" });
        this.set({ highlight: { name, el } });
        this.later("highlight", MARK_MS, () => this.set({ highlight: null }));
        break;
      }
      case "draw": {
        const points = p.points.filter((pt): pt is [number, number] =>
          Array.isArray(pt) && typeof pt[0] === "number" && typeof pt[1] === "number");
        if (points.length < 2) break;
        const id = ++this.strokeId;
        this.set({ strokes: [...this.view.strokes, { id, points }].slice(-50) });
        setTimeout(() => this.set({ strokes: this.view.strokes.filter((s) => s.id !== id) }),
                   MARK_MS);
        break;
      }
      case "clear":
        this.set({ strokes: [], highlight: null });
        break;
    }
  }

  private async command(cmd: CommandRequested): Promise<void> {
    const conv = this.host.conversation();
    if (!conv) return;
    let outcome: { ok: boolean; reason: string | null; then?: () => void };
    if (!this.recorder || !this.view.controlBy) {
      outcome = { ok: false, reason: "the shopper has not given control on this page" };
    } else {
      try {
        outcome = apply(cmd, this.recorder.policy, (id) => record.mirror.getNode(id));
      } catch {
        outcome = { ok: false, reason: "the page did not accept that" };
      }
    }
    if (outcome.ok && cmd.action === "click" && cmd.target) {
      this.set({ flash: { x: cmd.target.x, y: cmd.target.y, id: ++this.strokeId } });
    }
    if (!outcome.ok && outcome.reason) this.notice(`${cmd.agent_name} was stopped: ${outcome.reason}`);
    await this.host.request("command_result", {
      conversation_id: conv.id, command_id: cmd.command_id, ok: outcome.ok,
      reason: outcome.reason }).catch(() => undefined);
    outcome.then?.();
  }

  destroy(): void {
    this.recorder?.stop();
    this.recorder = null;
    for (const timer of this.timers.values()) clearTimeout(timer);
    window.removeEventListener("keydown", this.onKey, true);
    window.removeEventListener("pagehide", this.onPageHide);
    this.stopWatching();
    this.layer.remove();
  }
}

export function createRuntime(host: CobrowseHost): CobrowseRuntime {
  return new Runtime(host);
}
