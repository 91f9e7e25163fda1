import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { CallController, MOVED_TEXT, type CallRequester } from "./controller";
import type { CallFields } from "./stage";
import type { CallRecord, CallStore } from "./store";
import { fakeDevices, FakePeer, fakeServer, settle } from "./testing";
import type { CallOffer } from "../protocol.gen";

/** Web storage as two tabs of one browser see it: records per tab, holders shared. */
function browser() {
  const holders = new Map<string, { callId: string; tab: string }>();
  const watchers = new Set<() => void>();
  const tab = (id: string): CallStore & { records: Map<string, CallRecord> } => {
    const records = new Map<string, CallRecord>();
    return {
      tab: id, records,
      record: (c) => records.get(c) ?? null,
      saveRecord: (c, r) => { if (r) records.set(c, r); else records.delete(c); },
      holder: (c) => holders.get(c) ?? null,
      claim: (c, callId) => {
        holders.set(c, { callId, tab: id });
        for (const w of watchers) w(); // (a real `storage` event reaches the other tabs only)
      },
      watchHolders: (changed) => {
        watchers.add(changed);
        return () => watchers.delete(changed);
      },
      choice: () => ({ microphone: null, camera: null }),
      saveChoice: () => undefined,
    };
  };
  return { tab };
}

const ringingOut: CallFields = { call: "ringing", call_id: "cal_1", call_media: "video", call_by: "visitor" };
const ringingIn: CallFields = { call: "ringing", call_id: "cal_1", call_media: "video", call_by: "agent" };
const active: CallFields = { call: "active", call_id: "cal_1", call_media: "video", call_by: "visitor" };
const off: CallFields = { call: "off", call_id: null, call_media: null, call_by: null };

const made: CallController[] = [];
afterEach(() => {
  for (const calls of made.splice(0)) calls.close();
});

function setup(store: CallStore, refuse: Parameters<typeof fakeDevices>[0] = {}) {
  const srv = fakeServer([]);
  srv.remote = [{ track_id: "agt_1:camera:video", peer_id: "agt_1", source: "camera", kind: "video" }];
  const requests: [string, Record<string, unknown>][] = [];
  const request = (async (event: string, payload: Record<string, unknown>) => {
    requests.push([event, payload]);
    switch (event) {
      case "start_call":
        return { call_id: "cal_1" };
      case "join_call":
        return srv.signal.join();
      case "call_offer":
        return srv.signal.offer((payload as unknown as CallOffer).sdp,
                                (payload as unknown as CallOffer).sources ?? []);
      default:
        return {};
    }
  }) as unknown as CallRequester;
  const devices = fakeDevices(refuse);
  let online = true;
  const calls = new CallController({
    conversationId: "cnv_1", side: "visitor", store, request, mediaDevices: devices,
    connected: () => online,
    createPeer: (config) => new FakePeer(config) as unknown as RTCPeerConnection,
  });
  made.push(calls);
  return { calls, requests, devices, srv, setOnline: (v: boolean) => { online = v; } };
}

const names = (requests: [string, unknown][]) => requests.map(([event]) => event);

test("ringing out opens the devices first; once the call is on, this tab joins", async () => {
  FakePeer.made = [];
  const store = browser().tab("t1");
  const { calls, requests, devices } = setup(store);
  assert.equal(await calls.start("video"), true);
  assert.deepEqual(devices.opened, ["microphone", "camera"]);
  assert.deepEqual(requests[0], ["start_call", { conversation_id: "cnv_1", media: "video", record: false }]);
  assert.deepEqual(store.record("cnv_1"), { callId: "cal_1", sources: ["microphone", "camera"],
                                            muted: false });
  assert.deepEqual(store.holder("cnv_1"), { callId: "cal_1", tab: "t1" });
  calls.update(ringingOut);
  assert.equal(calls.state.stage.kind, "outgoing");
  assert.ok(calls.state.preview.camera, "the camera preview while it rings");
  calls.update(active);
  await settle();
  assert.equal(calls.state.stage.kind, "in-call");
  assert.deepEqual(names(requests), ["start_call", "join_call", "call_offer"]);
  assert.deepEqual(devices.opened, ["microphone", "camera"], "the same tracks go into the call");
  assert.equal(calls.state.call?.remote.length, 1);
});

test("the shopper's consent to recording goes with the call they place or answer", async () => {
  const placed = setup(browser().tab("t1"));
  assert.equal(await placed.calls.start("audio", true), true);
  assert.deepEqual(placed.requests[0], ["start_call", { conversation_id: "cnv_1", media: "audio", record: true }]);
  const answered = setup(browser().tab("t2"));
  answered.calls.update(ringingIn);
  assert.equal(await answered.calls.accept(false, true), true);
  assert.deepEqual(answered.requests[0], ["answer_call", { conversation_id: "cnv_1", accept: true, record: true }]);
});

test("a device the browser refuses is told, and nobody is rung", async () => {
  const { calls, requests } = setup(browser().tab("t1"), { camera: "NotAllowedError" });
  assert.equal(await calls.start("video"), false);
  assert.match(calls.state.problem ?? "", /blocking the camera/);
  assert.deepEqual(requests, []);
  assert.equal(calls.state.busy, false);
});

test("answering opens the devices, then answers; a refused camera still lets the call go on", async () => {
  FakePeer.made = [];
  const store = browser().tab("t1");
  const { calls, requests, devices } = setup(store, { camera: "NotReadableError" });
  calls.update(ringingIn);
  assert.equal(calls.state.stage.kind, "incoming");
  assert.equal(await calls.accept(true), true);
  assert.deepEqual(devices.opened, ["microphone"]);
  assert.deepEqual(requests[0], ["answer_call", { conversation_id: "cnv_1", accept: true, record: false }]);
  assert.match(calls.state.problem ?? "", /camera is in use by another app/);
  calls.update({ ...active, call_by: "agent" });
  await settle();
  assert.equal(calls.state.stage.kind, "in-call");
  assert.deepEqual(FakePeer.made[0]!.transceivers.map((t) => t.direction), ["sendonly", "recvonly"]);
});

test("answering a video call with voice only opens the microphone alone", async () => {
  FakePeer.made = [];
  const store = browser().tab("t1");
  const { calls, devices } = setup(store);
  calls.update(ringingIn);
  assert.equal(await calls.accept(false), true);
  assert.deepEqual(devices.opened, ["microphone"]);
  assert.deepEqual(store.record("cnv_1")?.sources, ["microphone"]);
  calls.update({ ...active, call_by: "agent" });
  await settle();
  assert.equal(calls.state.stage.kind, "in-call");
  assert.equal(calls.state.call?.local.camera, undefined, "no camera track");
  const sending = FakePeer.made[0]!.transceivers.filter((t) => t.direction.startsWith("send"));
  assert.equal(sending.length, 1, "one track sent: the microphone");
});

test("the next page of the store joins again by itself once signaling is up", async () => {
  FakePeer.made = [];
  const store = browser().tab("t1");
  store.saveRecord("cnv_1", { callId: "cal_1", sources: ["microphone", "camera", "screen"],
                              muted: true });
  const { calls, requests, devices, setOnline } = setup(store);
  setOnline(false);
  calls.update(active);
  assert.deepEqual(requests, [], "no joining before the socket is connected");
  assert.equal(calls.state.stage.kind, "in-call", "shown as joining meanwhile");
  setOnline(true);
  calls.connected();
  await settle();
  // Muted before the page changed: still muted, and the others are told so again.
  assert.deepEqual(names(requests), ["join_call", "set_call_muted", "call_offer"]);
  assert.deepEqual(requests[1]![1], { conversation_id: "cnv_1", muted: true });
  assert.deepEqual(devices.opened, ["microphone", "camera"], "the screen needs a click again");
  assert.match(calls.state.problem ?? "", /Screen sharing stopped when the page changed/);
  assert.equal(calls.state.call?.muted, true);
});

test("another tab taking the call over: this one lets go without hanging up", async () => {
  FakePeer.made = [];
  const b = browser();
  const first = setup(b.tab("t1"));
  await first.calls.start("audio");
  first.calls.update(active);
  await settle();
  assert.equal(first.calls.state.stage.kind, "in-call");

  const second = setup(b.tab("t2"));
  second.calls.update(active);
  assert.equal(second.calls.state.stage.kind, "elsewhere");
  assert.deepEqual(second.requests, []);
  second.calls.join();
  await settle();
  assert.equal(second.calls.state.stage.kind, "in-call");
  assert.deepEqual(names(second.requests), ["join_call", "call_offer"]);
  assert.equal(first.calls.state.stage.kind, "elsewhere");
  assert.equal(first.calls.state.problem, MOVED_TEXT);
  assert.equal(FakePeer.made[0]!.closed, true);
  assert.ok(!names(first.requests).includes("hang_up"));
});

test("the call ending lets go of the connection, the devices and the record", async () => {
  FakePeer.made = [];
  const store = browser().tab("t1");
  const { calls } = setup(store);
  await calls.start("video");
  calls.update(active);
  await settle();
  const mic = calls.state.call?.local.microphone;
  calls.update(off);
  assert.equal(calls.state.stage.kind, "none");
  assert.equal(FakePeer.made[0]!.closed, true);
  assert.equal(mic?.readyState, "ended");
  assert.equal(store.record("cnv_1"), null);
});

test("hanging up is at once here, then told to the server", async () => {
  FakePeer.made = [];
  const store = browser().tab("t1");
  const { calls, requests } = setup(store);
  await calls.start("audio");
  calls.update(active);
  await settle();
  await calls.hangUp();
  assert.equal(FakePeer.made[0]!.closed, true);
  assert.deepEqual(requests.at(-1), ["hang_up", { conversation_id: "cnv_1" }]);
  assert.equal(store.record("cnv_1"), null);
  calls.update(active); // the server has not said it ended yet: no joining again
  await settle();
  assert.equal(FakePeer.made.length, 1);
});

test("call notifications reach the call they name only", async () => {
  FakePeer.made = [];
  const { calls, srv } = setup(browser().tab("t1"));
  await calls.start("audio");
  calls.update(active);
  await settle();
  calls.notify("call_peer_failed", { conversation_id: "cnv_2", call_id: "cal_1" });
  calls.notify("call_peer_failed", { conversation_id: "cnv_1", call_id: "cal_0" });
  await settle();
  assert.equal(srv.joins, 1);
  calls.notify("call_peer_failed", { conversation_id: "cnv_1", call_id: "cal_1" });
  await settle();
  assert.equal(srv.joins, 2);
});
