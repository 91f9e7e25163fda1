import { test } from "node:test";
import assert from "node:assert/strict";
import { WidgetStorage } from "./storage";

class MemoryStorage {
  private readonly items = new Map<string, string>();
  get length(): number { return this.items.size; }
  key(i: number): string | null { return [...this.items.keys()][i] ?? null; }
  getItem(k: string): string | null { return this.items.get(k) ?? null; }
  setItem(k: string, v: string): void { this.items.set(k, v); }
  removeItem(k: string): void { this.items.delete(k); }
  clear(): void { this.items.clear(); }
}

test("the outbox kept for the next page sends again what failed, never what was refused", () => {
  (globalThis as { window?: unknown }).window = {
    localStorage: new MemoryStorage(), sessionStorage: new MemoryStorage() };
  const storage = new WidgetStorage("demo");
  storage.saveOutbox("cnv_1", [
    { clientId: "a", text: "disk full", at: 1, status: "failed" },
    { clientId: "b", text: "too long", at: 2, status: "refused" },
    { clientId: "c", text: "stored", at: 3, status: "sending", seq: 7 },
  ]);
  assert.deepEqual(storage.outbox("cnv_1").map((p) => [p.clientId, p.status]),
                   [["a", "queued"], ["b", "refused"]]);
});
