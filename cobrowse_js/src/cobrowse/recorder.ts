// rrweb's recorder with Aisle's privacy rules, feeding a Batcher through the scrubber. One
// Recorder is one page session (its own id and batch numbering); starting returns it, `stop()`
// ends it. Canvas, cross-origin frames and fonts are never recorded.

import { record } from "@rrweb/record";
import { deflateSync, strToU8 } from "fflate";

import { shareableAddress } from "../pages";
import { maskCardDigits } from "../redact";
import { Batcher, type OutPart } from "./batcher";
import { maskInputValue, maskText, pagePolicy, textVisible, type PagePolicy,
         type SitePolicy } from "./privacy";
import { scrubEvent, type Lookup, type RawEvent } from "./scrub";

export interface RecorderIO {
  /** Sends a part; resolves to the ack's `snapshot_needed`. */
  send(sessionId: string, part: OutPart): Promise<boolean>;
  /** The stream broke (gap, failed send): a full snapshot is due when it can be sent. */
  broken(): void;
}

function validSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** The node is a blocked element, or lives in the document of a blocked frame (at any depth). */
export function inBlockedFrame(node: Node | null, blockSelector: string): boolean {
  if (!node) return false;
  if (node.nodeType === 1 && (node as Element).matches(blockSelector)) return true;
  let doc: Document | null = node.nodeType === 9 ? (node as Document) : node.ownerDocument;
  while (doc && doc !== document) {
    let frame: Element | null = null;
    try {
      frame = doc.defaultView?.frameElement ?? null;
    } catch {
      return true; // a frame we cannot look into is not ours to send
    }
    if (!frame) return false;
    if (frame.closest(blockSelector)) return true;
    doc = frame.ownerDocument;
  }
  return false;
}

function sessionId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return `p${Array.from(bytes, (b) => b.toString(36).padStart(2, "0")).join("")}`.slice(0, 20);
}

/** The rules a recorder on this page would follow under the site's co-browse settings. */
export function policyHere(site: SitePolicy | null): PagePolicy {
  return pagePolicy(location.href, site, validSelector);
}

export function samePolicy(a: PagePolicy, b: PagePolicy): boolean {
  return a.maskAllText === b.maskAllText && a.maskSelector === b.maskSelector &&
    a.blockSelector === b.blockSelector && a.unmaskSelector === b.unmaskSelector &&
    a.hiddenParams.join("\n") === b.hiddenParams.join("\n");
}

/** The masking rules for text as the page is now: those of its address now (a single-page app
 * may have moved to its checkout since the recorder started, and the runtime restarts the
 * recorder only after), and in a same-origin frame, the frame's own address's too. */
function textRules(site: SitePolicy | null, first: PagePolicy): (el: Element | null) => PagePolicy {
  const byUrl = new Map<string, PagePolicy>([[location.href, first]]);
  const at = (url: string): PagePolicy => {
    let policy = byUrl.get(url);
    if (!policy) {
      if (byUrl.size > 50) byUrl.clear();
      policy = pagePolicy(url, site, validSelector);
      byUrl.set(url, policy);
    }
    return policy;
  };
  return (el) => {
    const page = at(location.href);
    const doc = el?.ownerDocument;
    if (!doc || doc === document || page.maskAllText) return page;
    return at(doc.URL).maskAllText ? { ...page, maskAllText: true } : page;
  };
}

export class Recorder {
  readonly sessionId = sessionId();
  readonly policy: PagePolicy;
  private readonly rules: (el: Element | null) => PagePolicy;
  private readonly batcher: Batcher;
  /** The page's address, and where its links go, as they may leave the browser. */
  private readonly address: (url: string) => string;
  private stopRecording: (() => void) | undefined;

  constructor(io: RecorderIO, site: SitePolicy | null) {
    this.policy = policyHere(site);
    this.rules = textRules(site, this.policy);
    const hidden = this.policy.hiddenParams;
    this.address = (url) => shareableAddress(url, hidden);
    this.batcher = new Batcher({
      send: (part) => io.send(this.sessionId, part),
      compress: (json) => deflateSync(strToU8(json), { level: 6 }),
      snapshotNeeded: () => io.broken(),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      now: () => Date.now(),
    });
  }

  start(): void {
    const policy = this.policy;
    const rules = this.rules;
    const address = this.address;
    const lookup: Lookup = {
      element: (id) => {
        const node = record.mirror.getNode(id);
        if (!node) return null;
        return node.nodeType === 1 ? (node as Element) : node.parentElement;
      },
      blocked: (id) => inBlockedFrame(record.mirror.getNode(id), policy.blockSelector),
    };
    this.stopRecording = record({
      emit: (event) => {
        const scrubbed = scrubEvent(event as RawEvent, lookup, address);
        if (scrubbed) this.batcher.add(scrubbed);
      },
      blockSelector: policy.blockSelector,
      maskAllInputs: true,
      maskInputOptions: { password: true, text: true, email: true, tel: true, number: true,
                          search: true, url: true, date: true, textarea: true, select: true,
                          // rrweb leaves hidden inputs alone (rrweb#1609).
                          ...({ hidden: true } as Record<string, boolean>) },
      maskInputFn: (text, el) => maskInputValue(text, el as HTMLElement),
      // Every text node goes through maskTextFn, which applies the page's rules.
      maskTextSelector: "*",
      maskTextFn: (text, el) => (textVisible(el, rules(el)) ? maskCardDigits(text)
        : maskText(text)),
      slimDOMOptions: "all",
      recordCanvas: false,
      recordCrossOriginIframes: false,
      collectFonts: false,
      inlineImages: false,
      sampling: { mousemove: 50, mousemoveCallback: 50, scroll: 100, input: "all",
                  media: 800 },
      errorHandler: () => true,
    });
  }

  /** A fresh Meta + FullSnapshot (a new agent, a gap, a resync). */
  snapshot(): void {
    if (!this.stopRecording) return;
    this.batcher.reset();
    record.takeFullSnapshot(true);
  }

  /** The page's address changed without a load (a single-page app's route): said in the
   * stream, so the server judges what follows by the new address (pages not recorded). */
  moved(): void {
    if (this.stopRecording) record.addCustomEvent("aisle:page", { href: this.address(location.href) });
  }

  /** Marks the page going away and sends what is pending at once. */
  leaving(): void {
    if (!this.stopRecording) return;
    record.addCustomEvent("aisle:leaving", {});
    this.batcher.flushNow();
  }

  get stats(): Batcher["stats"] {
    return this.batcher.stats;
  }

  stop(): void {
    this.stopRecording?.();
    this.stopRecording = undefined;
    this.batcher.close();
  }
}
