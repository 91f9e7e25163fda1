// What the store tells Aisle about the shopper (Aisle.identify / setContext) and where the
// shopper is (page views): validated here, held while disconnected, sent once connected, and
// held again when a dropped connection lost them.

import { RequestError } from "./connection";
import { currentPage } from "./pages";
import type { Identify, VisitorRequests } from "./protocol.gen";
import { MAX_NAME, validEmail } from "./state/prechat";

/** The server's limit on a visitor's context (AISLE_MAX_CONTEXT_BYTES' default). */
const MAX_CONTEXT_BYTES = 4096;

type Send = <K extends "identify" | "set_context" | "page_view">(
  event: K, payload: VisitorRequests[K]["request"]) => Promise<unknown>;

export class Profile {
  private identity: Identify | null = null;
  private context: Record<string, unknown> | null = null;
  private reportedUrl: string | null = null;

  /** `hidden`: the site's parameter names hidden in page addresses (besides the built-in). */
  constructor(private readonly send: Send, private readonly connected: () => boolean,
              private readonly hidden: () => readonly string[]) {}

  /** Returns what will be sent (for pre-filling the form), or null when nothing usable. */
  identify(input: unknown): Identify | null {
    if (!input || typeof input !== "object") return null;
    const { name, email } = input as { name?: unknown; email?: unknown };
    const next: Identify = { ...this.identity };
    if (typeof name === "string" && name.trim()) next.name = name.trim().slice(0, MAX_NAME);
    if (typeof email === "string" && validEmail(email.trim())) next.email = email.trim();
    if (next.name === undefined && next.email === undefined) return null;
    this.identity = next;
    this.flush();
    return next;
  }

  setContext(input: unknown): void {
    if (!input || typeof input !== "object" || Array.isArray(input)) return;
    let merged: Record<string, unknown>;
    try {
      merged = JSON.parse(JSON.stringify({ ...this.context, ...input })) as
        Record<string, unknown>;
    } catch {
      return; // not JSON: nothing we could send
    }
    if (JSON.stringify(merged).length > MAX_CONTEXT_BYTES) return;
    this.context = merged;
    this.flush();
  }

  flush(): void {
    if (!this.connected()) return;
    const identity = this.identity;
    const context = this.context;
    this.identity = null;
    this.context = null;
    if (identity) this.send("identify", identity).catch((e) => this.keep(e, identity, null));
    if (context) this.send("set_context", { context }).catch((e) => this.keep(e, null, context));
  }

  private keep(error: unknown, identity: Identify | null,
               context: Record<string, unknown> | null): void {
    if (!(error instanceof RequestError) || error.code !== "disconnected") return;
    if (identity) this.identity = { ...identity, ...this.identity };
    if (context) this.context = { ...context, ...this.context };
  }

  /** Reports the current page unless it was the last one reported. */
  reportPage(): void {
    if (!this.connected()) return;
    const page = currentPage(this.hidden());
    if (page.url === this.reportedUrl) return;
    this.reportedUrl = page.url;
    this.send("page_view", page).catch(() => {
      this.reportedUrl = null;
    });
  }
}
