import assert from "node:assert/strict";
import { test } from "node:test";

import { layout } from "./layout";
import { callDuration, callPause, callRecorded, callStage } from "./stage";
import { describeVideo, summarize } from "./stats";
import type { RemoteMedia } from "./types";
import { callLine, type Person } from "./wording";

test("a call's stage for each side", () => {
  const f = { call: "ringing", call_id: "cal_1", call_media: "video", call_by: "visitor" } as const;
  assert.deepEqual(callStage(f, "agent", null), { kind: "incoming", callId: "cal_1", media: "video" });
  assert.deepEqual(callStage(f, "visitor", null), { kind: "outgoing", callId: "cal_1", media: "video" });
  const on = { ...f, call: "active" } as const;
  assert.equal(callStage(on, "visitor", "cal_1").kind, "in-call");
  assert.equal(callStage(on, "visitor", null).kind, "elsewhere");
  assert.equal(callStage(on, "visitor", "cal_0").kind, "elsewhere");
  assert.equal(callStage({ ...f, call: "off", call_id: null }, "agent", null).kind, "none");
  assert.equal(callStage(null, "agent", null).kind, "none");
});

test("durations", () => {
  assert.equal(callDuration(0, 65_400), "01:05");
  assert.equal(callDuration(0, 3_723_000), "1:02:03");
  assert.equal(callDuration(10, 0), "00:00");
});

const media = (peerId: string, source: "camera" | "screen" | "microphone"): RemoteMedia => ({
  trackId: `${peerId}:${source}`, peerId, source, kind: source === "microphone" ? "audio" : "video",
  mid: "0", track: {} as MediaStreamTrack });

test("the big picture is a screen share, else the preferred person's camera", () => {
  const cams = [media("sup_1", "camera"), media("vis_1", "camera"), media("vis_1", "microphone")];
  const l = layout(cams, "vis_1");
  assert.equal(l.main?.trackId, "vis_1:camera");
  assert.deepEqual(l.tiles.map((t) => t.trackId), ["sup_1:camera"]);
  assert.deepEqual(l.audio.map((t) => t.trackId), ["vis_1:microphone"]);
  assert.equal(layout([...cams, media("agt_1", "screen")], "vis_1").main?.trackId, "agt_1:screen");
  assert.equal(layout([media("vis_1", "microphone")]).main, null);
});

test("transcript lines for call events", () => {
  const you: Person = { name: "You", self: true };
  const alex: Person = { name: "Alex", self: false };
  const who = (id: string) => (id === "vis_1" ? you : alex);
  assert.equal(callLine({ type: "call_requested", data: { media: "screen" } }, alex, who),
               "Alex started a screen share");
  assert.equal(callLine({ type: "call_ended", data: { reason: "declined" } }, you, who),
               "You declined the call");
  assert.equal(callLine({ type: "call_ended", data: { reason: "unanswered" } }, alex, who),
               "The call was not answered");
  assert.equal(callLine({ type: "call_track_added", data: { participant: "vis_1", source: "camera" } },
                        alex, who), "You turned on your camera");
  assert.equal(callLine({ type: "call_track_removed", data: { participant: "agt_1", source: "screen",
                                                              reason: "rebuild_expired" } }, alex, who),
               "Alex stopped sharing their screen (left the call)");
  // Their network went silent: not their leaving.
  assert.equal(callLine({ type: "call_track_removed", data: { participant: "agt_1", source: "microphone",
                                                              reason: "connection_lost" } }, alex, who),
               "Alex's connection to the call was lost");
  assert.equal(callLine({ type: "call_track_removed", data: { participant: "vis_1", source: "camera",
                                                              reason: "connection_lost" } }, alex, who),
               "You turned off your camera (connection lost)");
  assert.equal(callLine({ type: "call_track_added", data: { participant: "agt_1", source: "microphone" } },
                        alex, who), "Alex joined the call");
});

test("stats: per slot, decoded frames and size", () => {
  const report = new Map<string, Record<string, unknown>>([
    ["a", { type: "inbound-rtp", mid: "2", kind: "video", framesDecoded: 40, framesPerSecond: 19.6,
            frameWidth: 640, frameHeight: 360, packetsReceived: 100, packetsLost: 1 }],
    ["b", { type: "outbound-rtp", mid: "0", kind: "video", bytesSent: 5000,
            qualityLimitationReason: "bandwidth" }],
    ["c", { type: "candidate-pair", nominated: true, state: "succeeded", currentRoundTripTime: 0.012 }],
  ]);
  const stats = summarize(report);
  assert.equal(stats.rttMs, 12);
  assert.equal(stats.outbound[0]?.limitation, "bandwidth");
  assert.equal(describeVideo(stats.inbound[0]), "640×360 · 20 fps");
  assert.equal(describeVideo(undefined), null);
});

test("the log says whether a call is recorded once it was answered", () => {
  const events = [
    { type: "call_requested", data: { call_id: "c1", media: "audio", by: "agent" } },
    { type: "call_accepted", data: { call_id: "c1", recorded: false } },
    { type: "call_accepted", data: { call_id: "c2", recorded: true } },
    { type: "call_accepted", data: { call_id: "c0" } },
  ];
  assert.equal(callRecorded(events, "c1"), false);
  assert.equal(callRecorded(events, "c2"), true);
  assert.equal(callRecorded(events, "c0"), null);
  assert.equal(callRecorded(events, "c9"), null);
  assert.equal(callRecorded(undefined, null), null);
});

test("the log says why a call's recording stopped, while it is stopped", () => {
  const gap = (type: string, kind: string, reason: string) => ({
    type, data: { kind, reason, session_id: null, url: null } });
  const events = [
    { type: "call_accepted", data: { call_id: "c1", recorded: true } },
    gap("recording_paused", "call", "agent"),
    { type: "call_accepted", data: { call_id: "c2", recorded: true } },
    gap("recording_paused", "call", "agent"),
    gap("recording_resumed", "call", "agent"),
    gap("recording_paused", "cobrowse", "withdrawn"),
  ];
  assert.equal(callPause(events, "c1"), "agent");
  assert.equal(callPause(events, "c2"), null, "resumed since; the sharing's pause is not it");
  const failed = [...events, gap("recording_paused", "call", "storage")];
  assert.equal(callPause(failed, "c2"), "storage");
  assert.equal(callPause(failed, "c9"), null);
  assert.equal(callPause(undefined, null), null);
});
