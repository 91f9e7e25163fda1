import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogEvent } from "../protocol.gen";
import { meActor, system, visitor } from "../state/fixtures";
import { callPause } from "./recording";

const ev = (seq: number, type: string, data: object, actor = system): LogEvent =>
  ({ conversation_id: "cnv_1", seq, ts: seq * 1000, actor, type, data }) as unknown as LogEvent;

test("a call's recording the agent may resume: paused by them, or not saved", () => {
  const accepted = ev(1, "call_accepted", { call_id: "cal_1", recorded: true }, visitor);
  assert.equal(callPause([accepted]), null);
  const paused = [accepted, ev(2, "recording_paused", { kind: "call", reason: "agent" }, meActor)];
  assert.equal(callPause(paused), "agent");
  const resumed = [...paused, ev(3, "recording_resumed", { kind: "call", reason: "agent" }, meActor)];
  assert.equal(callPause(resumed), null);
  // The server's disk refused it: stopped, and the agent may try again once there is room.
  const unsaved = [...resumed, ev(4, "recording_paused", { kind: "call", reason: "storage" })];
  assert.equal(callPause(unsaved), "storage");
  // The shopper's withdrawal is not the agent's to undo; a sharing's pause is another lane.
  assert.equal(callPause([accepted, ev(2, "recording_paused", { kind: "call", reason: "withdrawn" }, visitor)]), null);
  assert.equal(callPause([accepted, ev(2, "recording_paused", { kind: "cobrowse", reason: "storage" })]), null);
  // A later call starts from its own consent.
  assert.equal(callPause([...unsaved, ev(5, "call_accepted", { call_id: "cal_2", recorded: true }, visitor)]), null);
});
