import assert from "node:assert/strict";
import { test } from "node:test";

import type { LogEvent, RecordingGapData } from "../protocol.gen";
import { applyEvents } from "./conversation";
import { ALEX, CNV, conversation, joined } from "./fixtures";
import { emptyTranscript, mergeEvents, timeline } from "./transcript";

const agent = { kind: "agent" as const, id: ALEX.id, name: ALEX.display_name };
const visitor = { kind: "visitor" as const, id: "vis_1", name: "Dana" };
const system = { kind: "system" as const, id: null, name: null };
type Actor = typeof agent | typeof visitor | typeof system;

const at = (seq: number) => ({ conversation_id: CNV, seq, ts: 1000 + seq });
const shared = (seq: number, recorded: boolean | null = true): LogEvent => ({
  ...at(seq), actor: visitor, type: "cobrowse_started", data: { agent_id: ALEX.id, recorded } });
const stopped = (seq: number, by: "visitor" | "agent"): LogEvent => ({
  ...at(seq), actor: by === "visitor" ? visitor : agent, type: "cobrowse_ended",
  data: { by, reason: "stopped" } });
const gap = (seq: number, type: "recording_paused" | "recording_resumed", actor: Actor,
             kind: "cobrowse" | "call", reason: RecordingGapData["reason"]): LogEvent => ({
  ...at(seq), actor, type, data: { kind, reason, session_id: null, url: null, since: null } });

function notices(events: LogEvent[]): string[] {
  const t = mergeEvents(emptyTranscript(CNV), [joined(2), ...events]);
  return timeline(t).flatMap((i) => i.kind === "notice" && i.seq > 2 ? [i.text] : []);
}

test("the shopper's own stopping of a recording is a line of their transcript", () => {
  assert.deepEqual(notices([shared(3), gap(4, "recording_paused", visitor, "cobrowse", "withdrawn"),
                            stopped(5, "visitor")]), [
    "You started sharing your page with Alex (recorded)",
    "You stopped the recording of your page; sharing goes on unrecorded",
    "You stopped sharing your page",
  ]);
  assert.deepEqual(notices([gap(3, "recording_paused", visitor, "call", "withdrawn")]),
                   ["You stopped the recording of the call; the call goes on unrecorded"]);
});

test("the agent's pause and resume, and a recording the store could not keep, are said", () => {
  assert.deepEqual(notices([
    shared(3), gap(4, "recording_paused", agent, "cobrowse", "agent"),
    gap(5, "recording_resumed", agent, "cobrowse", "agent"),
    gap(6, "recording_paused", system, "cobrowse", "storage"),
    gap(7, "recording_paused", agent, "call", "agent"),
    gap(8, "recording_resumed", agent, "call", "agent"),
  ]), [
    "You started sharing your page with Alex (recorded)",
    "Alex paused the recording of your page; sharing goes on",
    "Alex resumed the recording of your page",
    "The recording of your page stopped because it could not be saved; sharing goes on " +
      "unrecorded",
    "Alex paused the recording of the call; the call goes on",
    "Alex resumed the recording of the call",
  ]);
});

test("pauses nobody chose (an unrecorded page, a consent not given) are not lines", () => {
  assert.deepEqual(notices([
    shared(3, false), gap(4, "recording_paused", visitor, "cobrowse", "declined"),
    gap(5, "recording_paused", visitor, "cobrowse", "url"),
    gap(6, "recording_resumed", visitor, "cobrowse", "url"),
    gap(7, "recording_paused", visitor, "call", "declined"),
    gap(8, "recording_resumed", visitor, "cobrowse", "declined"),
  ]), ["You started sharing your page with Alex"]);
});

test("an agent stopping is told apart: they stopped viewing, or no longer ask", () => {
  assert.deepEqual(notices([shared(3), stopped(4, "agent"), stopped(6, "agent")]), [
    "You started sharing your page with Alex (recorded)",
    "Alex stopped viewing your page",
    "Alex no longer asks to see your page",
  ]);
});

test("the conversation's recorded fields follow the recording's events", () => {
  const base = conversation({ status: "active", agent: ALEX, last_seq: 3, cobrowse: "on",
                              cobrowse_recorded: true, call: "active", call_recorded: true });
  const paused = applyEvents(base, [gap(4, "recording_paused", agent, "call", "agent")]);
  assert.deepEqual([paused.call_recorded, paused.cobrowse_recorded, paused.last_seq],
                   [false, true, 4]);
  const resumed = applyEvents(paused, [gap(5, "recording_resumed", agent, "call", "agent")]);
  assert.equal(resumed.call_recorded, true);
  const failed = applyEvents(base, [gap(4, "recording_paused", system, "cobrowse", "storage")]);
  assert.equal(failed.cobrowse_recorded, false);
  const page = applyEvents(base, [gap(4, "recording_paused", visitor, "cobrowse", "url")]);
  assert.equal(page.cobrowse_recorded, true, "an unrecorded page leaves the sharing's consent");
});
