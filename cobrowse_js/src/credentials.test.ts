import assert from "node:assert/strict";
import { test } from "node:test";

import { Credentials } from "./credentials";
import type { Token, VisitorSession } from "./protocol.gen";

function session(token: string, expiresAt: number): VisitorSession {
  return { token, expires_at: expiresAt } as unknown as VisitorSession;
}

test("a refresh refused as expired is followed by a new session, not retried for ever", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"], now: 1_000_000 });
  const made: string[] = [];
  let refreshes = 0;
  const creds = new Credentials({
    createSession: async () => {
      made.push("session");
      return session(`t${made.length}`, Date.now() + 3_600_000);
    },
    refresh: () => {
      refreshes += 1;
      return Promise.reject(Object.assign(new Error("the token has expired"), { code: "unauthorized" })) as Promise<Token>;
    },
    adopted: () => undefined,
  });
  creds.adopt(session("t0", Date.now() + 3_600_000));
  t.mock.timers.tick(3_600_000 - 120_000); // the refresh, two minutes before the end
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  assert.equal(refreshes, 1);
  assert.deepEqual(made, ["session"]);
  assert.equal(await creds.valid(), "t1");
  creds.stop();
});
