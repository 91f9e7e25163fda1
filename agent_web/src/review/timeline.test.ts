import { test } from "node:test";
import assert from "node:assert/strict";
import { callGapAt, currentIndex, formatTime, laneFileAt, markersOf, mediaLanes, participantName, percentOf, spokenTime, transcriptOf } from "./timeline";
import type { LogEvent } from "./types";

const ORIGIN = 1_700_000_000_000;
let seq = 0;
function ev(type: string, t: number, data: unknown,
  actor: { kind: string; id: string | null; name: string | null } = { kind: "system", id: null, name: null }): LogEvent {
  seq += 1;
  return { conversation_id: "cnv_1", seq, ts: ORIGIN + t, actor, type, data } as unknown as LogEvent;
}
const dana = { kind: "visitor", id: "vis_1", name: "Dana" };
const alex = { kind: "agent", id: "agt_1", name: "Alex" };
const card = (id: string, name: string) => ({ id, display_name: name, photo_url: null });

const LOG: LogEvent[] = [
  ev("conversation_started", 0, { topic: "order", team: "support", visitor_id: "vis_1", site_id: "s", fields: {}, page_url: null }, dana),
  ev("message_created", 500, { client_id: "a", text: "My refund?" }, dana),
  ev("agent_joined", 2_000, { agent: card("agt_1", "Alex"), role: "assignee" }, alex),
  ev("message_created", 3_000, { client_id: "b", text: "On it." }, alex),
  ev("note_created", 3_500, { client_id: "c", text: "Check the order" }, alex),
  ev("cobrowse_started", 4_000, { agent_id: "agt_1" }, dana),
  ev("control_granted", 5_000, { agent_id: "agt_1" }, dana),
  ev("control_action", 5_500, { agent_id: "agt_1", command_id: "k1", action: "click", node_id: 7, value: null, ok: true }, alex),
  ev("control_action", 5_600, { agent_id: "agt_1", command_id: "k2", action: "scroll", node_id: null, value: null, ok: true }, alex),
  ev("control_action", 5_700, { agent_id: "agt_1", command_id: "k3", action: "type", node_id: 9, value: null, ok: false, reason: "private_field" }, alex),
  ev("control_ended", 6_000, { agent_id: "agt_1", by: "visitor" }, dana),
  ev("call_requested", 7_000, { call_id: "c1", media: "video", by: "visitor" }, dana),
  ev("call_accepted", 7_500, { call_id: "c1" }, alex),
  ev("media_recorded", 8_000, {}),
  ev("recording_paused", 8_500, { kind: "call", reason: "declined", session_id: null, url: null }),
  ev("recording_paused", 9_000, { kind: "cobrowse", reason: "url", session_id: "t", url: null }),
  ev("recording_resumed", 9_500, { kind: "cobrowse", reason: "url", session_id: "t", url: null }),
  ev("recording_paused", 9_700, { kind: "cobrowse", reason: "withdrawn", session_id: null, url: null }, dana),
  ev("recording_paused", 9_800, { kind: "call", reason: "agent", session_id: null, url: null }, alex),
  ev("recording_paused", 9_850, { kind: "cobrowse", reason: "restart", session_id: "t", url: null, since: 9_820 }),
  ev("agent_joined", 10_000, { agent: card("agt_2", "Sam"), role: "supervisor" }, { kind: "agent", id: "agt_2", name: "Sam" }),
  ev("conversation_transferred", 11_000, { from_agent_id: "agt_1", to_agent_id: "agt_2", to_team: null, note: "" }, alex),
  ev("conversation_transferred", 11_500, { from_agent_id: "agt_2", to_agent_id: null, to_team: "billing", note: "" }, alex),
  ev("call_ended", 12_000, { call_id: "c1", reason: "hangup" }, alex),
  ev("cobrowse_ended", 12_500, { by: "visitor", reason: "stopped" }, dana),
  ev("conversation_ended", 13_000, { reason: "agent_ended", left_at: null }, alex),
  ev("conversation_rated", 14_000, { rating: 2, comment: "" }, dana),
];

test("the transcript: messages and internal notes with their times and authors, and what happened", () => {
  const log = LOG.map((e) => e.type === "conversation_rated"
    ? ev("conversation_rated", 14_000, { rating: 2, comment: "Slow" }, dana)
    : e.type === "conversation_transferred" && e.data.to_team === "billing"
      ? ev("conversation_transferred", 11_500,
        { from_agent_id: "agt_2", to_agent_id: null, to_team: "billing", note: "Refund, order 1042" }, alex)
      : e);
  assert.deepEqual(transcriptOf(log, ORIGIN).map((l) => [l.t, l.kind, l.side, l.author, l.text]), [
    [500, "message", "visitor", "Dana", "My refund?"],
    [2_000, "event", "system", "", "Alex took the conversation"],
    [3_000, "message", "agent", "Alex", "On it."],
    [3_500, "note", "agent", "Alex", "Check the order"],
    [4_000, "event", "system", "", "The shopper shared their page"],
    [5_000, "event", "system", "", "The shopper gave Alex control of their page"],
    [5_500, "event", "system", "", "Alex clicked on the page"],
    [5_700, "event", "system", "", "Alex typed: refused (private field)"],
    [6_000, "event", "system", "", "Control of the page ended (by the visitor)"],
    [7_000, "event", "system", "", "Dana started a video call"],
    [7_500, "event", "system", "", "The call was answered"],
    [10_000, "event", "system", "", "Sam joined as a supervisor"],
    [11_000, "event", "system", "", "Transferred to Sam"],
    [11_500, "event", "system", "", "Transferred to the billing team: “Refund, order 1042”"],
    [12_000, "event", "system", "", "The call ended: hung up"],
    [12_500, "event", "system", "", "Co-browsing ended: stopped"],
    [13_000, "event", "system", "", "Conversation ended (ended by the agent)"],
    [14_000, "event", "system", "", "Rated 2/5: “Slow”"],
  ]);
});

test("markers: calls, consent, control, transfers and escalations, pauses, end, rating", () => {
  assert.deepEqual(markersOf(LOG, ORIGIN).map((m) => [m.t, m.kind, m.label]), [
    [2_000, "join", "Alex joined"],
    [4_000, "cobrowse", "Shopper agreed to co-browse"],
    [5_000, "control", "Control granted to Alex"],
    [5_500, "control", "Alex clicked on the page"],
    [5_700, "control", "Alex typed: refused (private field)"],
    [6_000, "control", "Control ended by the visitor"],
    [7_000, "call", "Video call requested by the visitor"],
    [7_500, "call", "Call answered"],
    [8_500, "recording", "Not recorded: the shopper did not agree to recording the call"],
    [9_000, "recording", "Recording paused: a page the site does not record"],
    [9_500, "recording", "Recording resumed"],
    [9_700, "recording", "Recording stopped: the shopper stopped recording the co-browsing"],
    [9_800, "recording", "Recording paused by the agent (call)"],
    [9_850, "recording", "Not recorded: the server restarted (co-browsing)"],
    [10_000, "join", "Escalated: supervisor Sam joined"],
    [11_000, "transfer", "Transferred to Sam"],
    [11_500, "transfer", "Transferred to team billing"],
    [12_000, "call", "Call ended: hung up"],
    [12_500, "cobrowse", "Co-browsing ended: stopped (visitor)"],
    [13_000, "end", "Conversation ended"],
    [14_000, "rating", "Rated 2/5"],
  ]);
});

test("the current line is the last one at or before the time", () => {
  const items = [{ t: 500 }, { t: 3_000 }, { t: 3_500 }];
  assert.equal(currentIndex(items, 0), -1);
  assert.equal(currentIndex(items, 500), 0);
  assert.equal(currentIndex(items, 3_499), 1);
  assert.equal(currentIndex(items, 99_999), 2);
  assert.equal(currentIndex([], 5), -1);
});

test("times read as a clock and aloud", () => {
  assert.equal(formatTime(0), "0:00");
  assert.equal(formatTime(7_900), "0:07");
  assert.equal(formatTime(754_000), "12:34");
  assert.equal(formatTime(3_723_000), "1:02:03");
  assert.equal(spokenTime(65_000), "1 minute 5 seconds");
  assert.equal(spokenTime(0), "0 seconds");
  assert.equal(percentOf(5, 10), 50);
  assert.equal(percentOf(50, 10), 100);
});

test("files are named after their participant", () => {
  const people = [{ kind: "visitor", id: "vis_1", name: null }, { kind: "agent", id: "agt_1", name: "Alex" }];
  assert.equal(participantName({ participant: "vis_1", participant_name: null }, people), "Shopper");
  assert.equal(participantName({ participant: "agt_1", participant_name: null }, people), "Alex");
  assert.equal(participantName({ participant: "agt_1", participant_name: "Alexandra" }, people), "Alexandra");
  assert.equal(participantName({ participant: "visitor", participant_name: null }, []), "Shopper");
  assert.equal(participantName({ participant: "agt_9", participant_name: null }, []), "Agent");
});

test("one lane per participant and source, files in time order", () => {
  const f = (participant: string, source: string, start: number, duration = 1_000) =>
    ({ participant, source, start_offset_ms: start, duration_ms: duration, file: `${participant}-${source}-${start}` });
  const lanes = mediaLanes([f("visitor", "camera", 5_000), f("agt_1", "camera", 0), f("visitor", "camera", 0),
                            f("visitor", "microphone", 0), f("visitor", "screen", 9_000)]);
  assert.deepEqual(lanes.map((l) => l.map((x) => x.file)), [
    ["visitor-camera-0", "visitor-camera-5000"], ["agt_1-camera-0"], ["visitor-microphone-0"], ["visitor-screen-9000"]]);
  const camera = lanes[0] ?? [];
  assert.equal(laneFileAt(camera, 500), 0);
  assert.equal(laneFileAt(camera, 2_000), -1); // between the reload's two files
  assert.equal(laneFileAt(camera, 5_500), 1);
  // Overlapping files (the new one starts before the old one is finished): the newer shows.
  assert.equal(laneFileAt([f("v", "camera", 0, 3_000), f("v", "camera", 2_000)], 2_500), 1);
});

test("a tile without a file says why when the recording was paused there", () => {
  const gaps = [{ kind: "call" as const, start_offset_ms: 9_500, end_offset_ms: 13_600, reason: "agent" },
                { kind: "cobrowse" as const, start_offset_ms: 20_000, end_offset_ms: null, reason: "url" }];
  assert.equal(callGapAt(gaps, 11_000), "agent");
  assert.equal(callGapAt(gaps, 13_600), null, "resumed");
  assert.equal(callGapAt(gaps, 25_000), null, "a co-browse gap says nothing of the call");
});
