import { test } from "node:test";
import assert from "node:assert/strict";
import type { Actor, LogEvent } from "../protocol.gen";
import { buildTranscript, type MessageItem } from "./transcript";
import { CNV, ME, joined, meActor, msg, note, started, system, visitor } from "./fixtures";

const opts = { meId: ME, visitorName: "Dana", visitorReadSeq: 0 };

test("messages, notes and system lines, with sides and authors", () => {
  const events: LogEvent[] = [started(1), joined(2), msg(3, "hello"), msg(4, "hi!", meActor), note(5, "VIP")];
  const items = buildTranscript(events, opts);
  assert.deepEqual(items.map((i) => i.kind), ["system", "system", "message", "message", "note"]);
  const [, join, v, a, n] = items as [unknown, { text: string }, MessageItem, MessageItem, MessageItem];
  assert.match(join.text, /You joined/);
  assert.equal(v.side, "visitor");
  assert.equal(v.author, "Dana");
  assert.equal(a.side, "me");
  assert.equal(n.kind, "note");
});

test("transfers, offline and endings are explained", () => {
  const events: LogEvent[] = [
    { conversation_id: CNV, seq: 1, ts: 1, actor: meActor, type: "conversation_transferred", data: { from_agent_id: ME, to_agent_id: null, to_team: "billing", note: "refund" } },
    { conversation_id: CNV, seq: 2, ts: 2, actor: system, type: "conversation_offline", data: { reason: "no_agents" } },
    { conversation_id: CNV, seq: 3, ts: 3, actor: meActor, type: "conversation_ended", data: { reason: "agent_ended", left_at: null } },
  ];
  const texts = buildTranscript(events, opts).map((i) => (i as { text: string }).text);
  assert.match(texts[0]!, /transferred the conversation to the billing team — “refund”/);
  assert.match(texts[1]!, /No agent was available/);
  assert.match(texts[2]!, /You ended the conversation/);
});

test("a transfer to me says 'you', and waits for me, not in the team's queue", () => {
  const bea: Actor = { kind: "agent", id: "agt_bea", name: "Bea" };
  const events: LogEvent[] = [
    { conversation_id: CNV, seq: 1, ts: 1, actor: bea, type: "conversation_transferred", data: { from_agent_id: "agt_bea", to_agent_id: ME, to_team: null, note: "" } },
    { conversation_id: CNV, seq: 2, ts: 2, actor: system, type: "conversation_queued", data: { team: "support", reason: "transfer", front: true } },
    { conversation_id: CNV, seq: 3, ts: 3, actor: bea, type: "conversation_transferred", data: { from_agent_id: "agt_bea", to_agent_id: null, to_team: "billing", note: "" } },
    { conversation_id: CNV, seq: 4, ts: 4, actor: system, type: "conversation_queued", data: { team: "billing", reason: "transfer", front: true } },
  ];
  const texts = buildTranscript(events, opts).map((i) => (i as { text: string }).text);
  assert.deepEqual(texts, ["Bea transferred the conversation to you",
                           "Bea transferred the conversation to the billing team",
                           "Waiting in the queue after the transfer (billing)"]);
});

test("pending messages show until the log has their client id", () => {
  const pending = [{ clientId: "c-a", text: "on its way", note: false, state: "sending" as const, at: 5 }];
  let items = buildTranscript([msg(1, "hi")], { ...opts, pending });
  assert.equal(items.length, 2);
  assert.equal((items[1] as MessageItem).status, "sending");
  items = buildTranscript([msg(1, "hi"), msg(2, "on its way", meActor, "c-a")], { ...opts, pending });
  assert.equal(items.length, 2, "no double");
  assert.equal((items[1] as MessageItem).seq, 2);
});

test("'Seen' marks only the newest agent message the visitor has read", () => {
  const events = [msg(1, "q"), msg(2, "a1", meActor), msg(3, "a2", meActor), msg(4, "a3", meActor)];
  const items = buildTranscript(events, { ...opts, visitorReadSeq: 3 }) as MessageItem[];
  assert.deepEqual(items.map((i) => i.status), ["sent", "sent", "seen", "sent"]);
});

test("a run of messages by one author names them once", () => {
  const items = buildTranscript([msg(1, "a"), msg(2, "b"), msg(3, "c", meActor)], opts) as MessageItem[];
  assert.deepEqual(items.map((i) => i.first), [true, false, true]);
});

test("a call's events are lines of the conversation, with who did what", () => {
  const sam: LogEvent = joined(2, "agt_sam", "Sam", "supervisor");
  const at = (seq: number) => ({ conversation_id: CNV, seq, ts: seq });
  const events: LogEvent[] = [
    sam,
    { ...at(3), actor: visitor, type: "call_requested", data: { call_id: "cal_1", media: "video", by: "visitor" } },
    { ...at(4), actor: meActor, type: "call_accepted", data: { call_id: "cal_1", recorded: null } },
    { ...at(5), actor: system, type: "call_track_added", data: { call_id: "cal_1", participant: "vis_1", source: "camera", kind: "video", reason: null } },
    { ...at(6), actor: system, type: "call_track_added", data: { call_id: "cal_1", participant: ME, source: "screen", kind: "video", reason: null } },
    { ...at(7), actor: system, type: "call_track_added", data: { call_id: "cal_1", participant: "agt_sam", source: "microphone", kind: "audio", reason: null } },
    { ...at(8), actor: visitor, type: "call_ended", data: { call_id: "cal_1", reason: "hangup" } },
  ];
  const texts = buildTranscript(events, opts).map((i) => (i as { text: string }).text).slice(1);
  assert.deepEqual(texts, ["Dana started a video call", "You answered the call", "Dana turned on their camera",
    "You started sharing your screen", "Sam joined the call", "Dana ended the call"]);
});

test("the shopper stopping a recording is a line; pauses by page are not", () => {
  const gap = (seq: number, kind: "cobrowse" | "call", reason: "withdrawn" | "url"): LogEvent => ({
    conversation_id: CNV, seq, ts: seq, actor: reason === "withdrawn" ? visitor : system,
    type: "recording_paused", data: { kind, reason, session_id: null, url: null, since: null } });
  const texts = buildTranscript([gap(1, "call", "withdrawn"), gap(2, "cobrowse", "url"),
                                 gap(3, "cobrowse", "withdrawn")], opts)
    .map((i) => (i as { text: string }).text);
  assert.equal(texts.length, 2);
  assert.match(texts[0]!, /stopped the recording of the call; it goes on unrecorded/);
  assert.match(texts[1]!, /stopped the recording of the co-browsing/);
  const byMe = (seq: number, type: "recording_paused" | "recording_resumed"): LogEvent => ({
    conversation_id: CNV, seq, ts: seq, actor: meActor, type,
    data: { kind: "call", reason: "agent", session_id: null, url: null, since: null } });
  assert.deepEqual(buildTranscript([byMe(1, "recording_paused"), byMe(2, "recording_resumed")], opts)
    .map((i) => (i as { text: string }).text),
  ["You paused the recording of the call", "You resumed the recording of the call"]);
  const sharing = (seq: number, type: "recording_paused" | "recording_resumed"): LogEvent => ({
    conversation_id: CNV, seq, ts: seq, actor: meActor, type,
    data: { kind: "cobrowse", reason: "agent", session_id: null, url: null, since: null } });
  assert.deepEqual(buildTranscript([sharing(1, "recording_paused"), sharing(2, "recording_resumed")], opts)
    .map((i) => (i as { text: string }).text),
  ["You paused the recording of the co-browsing", "You resumed the recording of the co-browsing"]);
});

test("a restart that cut the co-browsing's recording is a line, and so is its end", () => {
  const restart = (seq: number, type: "recording_paused" | "recording_resumed"): LogEvent => ({
    conversation_id: CNV, seq, ts: seq, actor: system, type,
    data: { kind: "cobrowse", reason: "restart", session_id: "tab1", url: null, since: null } });
  assert.deepEqual(buildTranscript([restart(1, "recording_paused"), restart(2, "recording_resumed")], opts)
    .map((i) => (i as { text: string }).text),
  ["The server restarted: the co-browsing is not recorded until the shopper’s page is back",
    "The shopper’s page is back: the co-browsing is recorded again"]);
});

test("co-browsing is told as it went: asked, declined, shared, control given and taken back", () => {
  let seq = 0;
  const ev = (actor: Actor, type: string, data: Record<string, unknown>): LogEvent =>
    ({ conversation_id: CNV, seq: ++seq, ts: seq, actor, type, data }) as unknown as LogEvent;
  const events = [
    ev(meActor, "cobrowse_requested", { agent_id: ME, recorded: null }),
    ev(visitor, "cobrowse_ended", { by: "visitor", reason: "declined" }),
    ev(meActor, "cobrowse_requested", { agent_id: ME, recorded: null }),
    ev(visitor, "cobrowse_started", { agent_id: ME, recorded: true }),
    ev(meActor, "control_requested", { agent_id: ME, expires_at: 30_000 }),
    ev(visitor, "control_ended", { agent_id: ME, by: "visitor" }),
    ev(meActor, "control_requested", { agent_id: ME, expires_at: 30_000 }),
    ev(system, "control_ended", { agent_id: ME, by: "system" }),
    ev(meActor, "control_requested", { agent_id: ME, expires_at: 30_000 }),
    ev(visitor, "control_granted", { agent_id: ME, recorded: null }),
    ev(visitor, "control_ended", { agent_id: ME, by: "visitor" }),
    ev(visitor, "cobrowse_ended", { by: "visitor", reason: "stopped" }),
    ev(meActor, "cobrowse_requested", { agent_id: ME, recorded: null }),
    ev(visitor, "cobrowse_started", { agent_id: ME, recorded: false }),
    ev(system, "cobrowse_ended", { by: "system", reason: "page_closed" }),
    ev(meActor, "cobrowse_requested", { agent_id: ME, recorded: null }),
    ev(meActor, "cobrowse_ended", { by: "agent", reason: "stopped" }),
    ev(meActor, "cobrowse_requested", { agent_id: ME, recorded: null }),
    ev(visitor, "cobrowse_started", { agent_id: ME, recorded: false }),
    ev(meActor, "cobrowse_ended", { by: "agent", reason: "stopped" }),
  ];
  const items = buildTranscript(events, opts) as Array<{ text: string; tone?: string }>;
  assert.deepEqual(items.map((i) => i.text), [
    "You asked to see the shopper’s page", "Dana declined to share their page",
    "You asked to see the shopper’s page", "Dana is sharing their page (recorded)",
    "You asked for control of the page", "Dana declined control of the page",
    "You asked for control of the page", "The request for control expired",
    "You asked for control of the page", "Dana gave you control of the page",
    "Dana took back control of the page", "Dana stopped sharing their page",
    "You asked to see the shopper’s page", "Dana is sharing their page",
    "Dana closed the page they were sharing",
    "You asked to see the shopper’s page", "You withdrew the request to see the shopper’s page",
    "You asked to see the shopper’s page", "Dana is sharing their page",
    "You stopped viewing the shopper’s page",
  ]);
  assert.equal(items[1]!.tone, "warning");
});

test("a shopper's page changing during a call is not told as leaving and joining", () => {
  const mic = (seq: number, type: "call_track_added" | "call_track_removed"): LogEvent => ({
    conversation_id: CNV, seq, ts: seq, actor: system, type,
    data: { call_id: "cal_1", participant: "vis_1", source: "microphone", kind: "audio",
            reason: type === "call_track_removed" ? "peer_closed" : null } });
  const texts = buildTranscript([mic(1, "call_track_added"), mic(2, "call_track_removed"),
                                 mic(3, "call_track_added"), mic(4, "call_track_removed")], opts)
    .map((i) => (i as { text: string }).text);
  assert.deepEqual(texts, ["Dana joined the call", "Dana left the call"]);
});
