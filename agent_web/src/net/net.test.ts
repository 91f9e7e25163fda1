import { test } from "node:test";
import assert from "node:assert/strict";
import { photoProblem } from "./photo";
import { loadSession, refreshDelayMs, saveSession } from "./session";

test("photos: type and size are checked before upload", () => {
  assert.equal(photoProblem("image/png", 1000), null);
  assert.match(photoProblem("text/plain", 10)!, /PNG, JPEG or WebP/);
  assert.match(photoProblem("image/gif", 10)!, /PNG, JPEG or WebP/);
  assert.match(photoProblem("image/jpeg", 3_000_000)!, /limit is 2\.0 MB/);
  assert.match(photoProblem("image/webp", 0)!, /empty/);
});

test("tokens refresh 10 minutes before they expire, or halfway through a shorter life", () => {
  const hour = 3_600_000;
  assert.equal(refreshDelayMs(12 * hour, 0), 12 * hour - 600_000);
  assert.equal(refreshDelayMs(10 * 60_000, 0), 5 * 60_000);
  assert.equal(refreshDelayMs(8_000, 0), 4_000);
  assert.equal(refreshDelayMs(1_000, 5_000), 0, "expired: at once");
});

class MemoryStorage {
  private items = new Map<string, string>();
  getItem(k: string): string | null { return this.items.get(k) ?? null; }
  setItem(k: string, v: string): void { this.items.set(k, v); }
  removeItem(k: string): void { this.items.delete(k); }
}

test("a kept session is used only while its token is valid", () => {
  const storage = new MemoryStorage() as unknown as Storage;
  const agent = { id: "agt", login: "a", display_name: "A", photo_url: null, role: "agent" as const,
    teams: [], max_concurrent: 3, status: "online" as const, connected: false, load: 0 };
  saveSession(storage, { token: "t", expires_at: 100_000, agent });
  assert.equal(loadSession(storage, 0)?.token, "t");
  assert.equal(loadSession(storage, 99_500), null);
  saveSession(storage, null);
  assert.equal(loadSession(storage, 0), null);
});
