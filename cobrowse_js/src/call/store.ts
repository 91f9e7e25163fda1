// What a browser keeps about its calls, so a reload or the store's next page joins again: per
// tab (sessionStorage) the call this tab is in and what it was sending; per browser
// (localStorage) which tab holds each call — two tabs joining as the same participant would
// replace each other's connection forever — and the devices picked.

import type { DeviceChoice } from "./media";
import type { Source } from "./types";

export interface CallRecord {
  callId: string;
  sources: Source[];
  muted: boolean;
}

export interface CallStore {
  /** This tab's id (kept across its pages). */
  readonly tab: string;
  record(conversationId: string): CallRecord | null;
  saveRecord(conversationId: string, record: CallRecord | null): void;
  /** The tab that holds the call (null: none says so). */
  holder(conversationId: string): { callId: string; tab: string } | null;
  claim(conversationId: string, callId: string): void;
  /** Calls `changed` when another tab claims a call. */
  watchHolders(changed: () => void): () => void;
  choice(): DeviceChoice;
  saveChoice(choice: DeviceChoice): void;
}

function area(kind: "localStorage" | "sessionStorage"): Storage | null {
  try {
    return window[kind];
  } catch {
    return null;
  }
}

function read<T>(store: Storage | null, key: string): T | null {
  try {
    const raw = store?.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(store: Storage | null, key: string, value: unknown): void {
  try {
    if (value === null) store?.removeItem(key);
    else store?.setItem(key, JSON.stringify(value));
  } catch {
    // Full or forbidden: a reload then asks the person to join again.
  }
}

function randomId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Web storage under `prefix` (e.g. "aisle:SITE_KEY:"). Without storage, everything is
 * forgotten at the next page and every tab counts as the holder. */
export function webCallStore(prefix: string): CallStore {
  const local = area("localStorage");
  const session = area("sessionStorage");
  let tab = read<string>(session, `${prefix}tab`);
  if (!tab) {
    tab = randomId();
    write(session, `${prefix}tab`, tab);
  }
  const holderKey = (conversationId: string) => `${prefix}call_holder:${conversationId}`;
  return {
    tab,
    record: (conversationId) => {
      const r = read<CallRecord>(session, `${prefix}call:${conversationId}`);
      return r && typeof r.callId === "string" && Array.isArray(r.sources) ? r : null;
    },
    saveRecord: (conversationId, record) =>
      write(session, `${prefix}call:${conversationId}`, record),
    holder: (conversationId) => read(local, holderKey(conversationId)),
    claim: (conversationId, callId) => write(local, holderKey(conversationId), { callId, tab }),
    watchHolders: (changed) => {
      const onStorage = (e: StorageEvent) => {
        if (e.key?.startsWith(`${prefix}call_holder:`)) changed();
      };
      window.addEventListener("storage", onStorage);
      return () => window.removeEventListener("storage", onStorage);
    },
    choice: () => read<DeviceChoice>(local, `${prefix}devices`) ??
      { microphone: null, camera: null },
    saveChoice: (choice) => write(local, `${prefix}devices`, choice),
  };
}
