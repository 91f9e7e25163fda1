import { test } from "node:test";
import assert from "node:assert/strict";
import { outcome } from "./ListPage";

test("a left message reads as waiting until an agent answers it", () => {
  assert.equal(outcome({ status: "offline", ended_reason: null, message_answered: false }),
               "Message waiting");
  assert.equal(outcome({ status: "offline", ended_reason: null, message_answered: true }),
               "Message answered");
  assert.equal(outcome({ status: "active", ended_reason: null, message_answered: false }),
               "Under way");
});
