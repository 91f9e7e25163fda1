import { test } from "node:test";
import assert from "node:assert/strict";
import type { LogEvent } from "../protocol.gen";
import { conversation, meActor, ME, system, visitor } from "../state/fixtures";
import { cobrowseStatus } from "./stream";

const ev = (seq: number, type: string, data: object, actor = visitor): LogEvent =>
  ({ conversation_id: "cnv_1", seq, ts: seq * 1000, actor, type, data }) as unknown as LogEvent;

test("whether the current sharing is recorded, from the log", () => {
  const conv = conversation({ cobrowse: "off", cobrowse_agent_id: null, control: "off", control_agent_id: null });
  const asked = ev(1, "cobrowse_requested", { agent_id: ME }, meActor);
  assert.equal(cobrowseStatus(conv, [asked]).recorded, null);
  const declined = [asked, ev(2, "cobrowse_started", { agent_id: ME, recorded: false }),
                    ev(3, "recording_paused", { kind: "cobrowse", reason: "declined" }, system)];
  assert.deepEqual([cobrowseStatus(conv, declined).view, cobrowseStatus(conv, declined).recorded], ["on", false]);
  const again = [...declined, ev(4, "cobrowse_ended", { by: "visitor", reason: "stopped" }),
                 ev(5, "cobrowse_requested", { agent_id: ME }, meActor),
                 ev(6, "cobrowse_started", { agent_id: ME, recorded: true })];
  assert.equal(cobrowseStatus(conv, again).recorded, true);
  const stopped = [...again, ev(7, "recording_paused", { kind: "cobrowse", reason: "withdrawn" })];
  assert.deepEqual([cobrowseStatus(conv, stopped).view, cobrowseStatus(conv, stopped).recorded], ["on", false]);
  const callStopped = [...again, ev(7, "recording_paused", { kind: "call", reason: "withdrawn" })];
  assert.equal(cobrowseStatus(conv, callStopped).recorded, true, "a call's recording is another lane");
  assert.equal(cobrowseStatus(conv, again.slice(0, 4)).recorded, null, "not sharing: nothing to say");
  // A log written before sharings said it.
  assert.equal(cobrowseStatus(conv, [asked, ev(2, "cobrowse_started", { agent_id: ME })]).recorded, null);
});

test("an agent's pause of the sharing's recording, and its resumption", () => {
  const conv = conversation({ cobrowse: "on" });
  const started = ev(1, "cobrowse_started", { agent_id: ME, recorded: true });
  const paused = [started, ev(2, "recording_paused", { kind: "cobrowse", reason: "agent" })];
  assert.deepEqual([cobrowseStatus(conv, paused).recorded, cobrowseStatus(conv, paused).pausedByAgent], [false, true]);
  // A page the site does not record pauses on its own; the agent's pause still stands.
  const withPage = [...paused, ev(3, "recording_paused", { kind: "cobrowse", reason: "url", url: "x" })];
  assert.equal(cobrowseStatus(conv, withPage).pausedByAgent, true);
  const resumed = [...paused, ev(4, "recording_resumed", { kind: "cobrowse", reason: "agent" })];
  assert.deepEqual([cobrowseStatus(conv, resumed).recorded, cobrowseStatus(conv, resumed).pausedByAgent], [true, false]);
  // The shopper's withdrawal is not the agent's to undo.
  const withdrawn = [started, ev(2, "recording_paused", { kind: "cobrowse", reason: "withdrawn" })];
  assert.deepEqual([cobrowseStatus(conv, withdrawn).recorded, cobrowseStatus(conv, withdrawn).pausedByAgent], [false, false]);
});

test("a recording that could not be saved stops, and the agent may resume it", () => {
  const conv = conversation({ cobrowse: "on" });
  const started = ev(1, "cobrowse_started", { agent_id: ME, recorded: true });
  const failed = [started, ev(2, "recording_paused", { kind: "cobrowse", reason: "storage" })];
  const status = cobrowseStatus(conv, failed);
  assert.deepEqual([status.recorded, status.pausedByAgent, status.unsaved], [false, true, true]);
  const resumed = [...failed, ev(3, "recording_resumed", { kind: "cobrowse", reason: "agent" })];
  assert.deepEqual([cobrowseStatus(conv, resumed).recorded, cobrowseStatus(conv, resumed).unsaved],
                   [true, false]);
});
