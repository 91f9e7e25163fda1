import assert from "node:assert/strict";
import { test } from "node:test";

import type { LogEvent } from "../protocol.gen";
import { applyEvents } from "./conversation";
import { ALEX, CNV, conversation, ended, joined } from "./fixtures";
import { emptyTranscript, mergeEvents, timeline } from "./transcript";

const agent = { kind: "agent" as const, id: ALEX.id, name: ALEX.display_name };
const visitor = { kind: "visitor" as const, id: "vis_1", name: "Dana" };
const system = { kind: "system" as const, id: null, name: null };

const at = (seq: number) => ({ conversation_id: CNV, seq, ts: 1000 + seq });
const requested = (seq: number): LogEvent => ({ ...at(seq), actor: agent, type: "call_requested",
  data: { call_id: "cal_1", media: "video", by: "agent" } });
const accepted = (seq: number): LogEvent => ({ ...at(seq), actor: visitor, type: "call_accepted",
  data: { call_id: "cal_1", recorded: true } });
const track = (seq: number, participant: string, source: "camera" | "screen"): LogEvent => ({
  ...at(seq), actor: system, type: "call_track_added",
  data: { call_id: "cal_1", participant, source, kind: "video", reason: null } });
const callEnded = (seq: number, reason: "hangup" | "left"): LogEvent => ({
  ...at(seq), actor: reason === "hangup" ? visitor : system, type: "call_ended",
  data: { call_id: "cal_1", reason } });

test("the conversation's call fields follow the call's events", () => {
  const base = conversation({ status: "active", agent: ALEX, last_seq: 3 });
  const ringing = applyEvents(base, [requested(4)]);
  assert.deepEqual([ringing.call, ringing.call_id, ringing.call_media, ringing.call_by],
                   ["ringing", "cal_1", "video", "agent"]);
  const on = applyEvents(ringing, [accepted(5)]);
  assert.deepEqual([on.call, on.call_recorded], ["active", true]);
  const over = applyEvents(ringing, [accepted(5), callEnded(6, "hangup")]);
  assert.deepEqual([over.call, over.call_id, over.call_recorded], ["off", null, null]);
  assert.equal(applyEvents(ringing, [ended(5)]).call, "off", "the chat's end ends its call");
});

test("the shopper's transcript tells the call's story", () => {
  const t = mergeEvents(emptyTranscript(CNV), [joined(2), requested(3), accepted(4),
    track(5, "vis_1", "camera"), track(6, ALEX.id, "screen"), callEnded(7, "hangup"),
    { ...at(8), actor: visitor, type: "call_requested",
      data: { call_id: "cal_2", media: "audio", by: "visitor" } },
    { ...at(9), actor: system, type: "call_ended", data: { call_id: "cal_2", reason: "left" } }]);
  assert.deepEqual(timeline(t).map((i) => i.kind === "notice" ? i.text : ""), [
    "Alex joined the chat", "Alex started a video call", "You answered the call",
    "You turned on your camera", "Alex started sharing their screen", "You ended the call",
    "You started a voice call",
    "The call ended: a participant left the page and did not come back"]);
});

test("a page changing during a call is not told as leaving and joining again", () => {
  const mic = (seq: number, type: "call_track_added" | "call_track_removed", reason: string | null,
               ts = 1000 + seq): LogEvent => ({
    conversation_id: CNV, seq, ts, actor: system, type,
    data: { call_id: "cal_1", participant: "vis_1", source: "microphone", kind: "audio", reason } });
  const t = mergeEvents(emptyTranscript(CNV), [joined(2), requested(3), accepted(4),
    mic(5, "call_track_added", null),
    mic(6, "call_track_removed", "peer_closed"), mic(7, "call_track_added", null),  // next page
    mic(8, "call_track_removed", "unpublished"), mic(9, "call_track_added", null),  // muted, back
    mic(10, "call_track_removed", "peer_closed"),
    mic(11, "call_track_added", null, 1010 + 120_000),  // away two minutes: told
  ]);
  const texts = timeline(t).flatMap((i) => (i.kind === "notice" ? [i.text] : []));
  assert.deepEqual(texts.slice(3), ["You joined the call", "You left the call", "You joined the call",
                                    "You left the call", "You joined the call"]);
});
