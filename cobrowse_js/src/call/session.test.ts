import assert from "node:assert/strict";
import { test } from "node:test";

import { LocalMedia } from "./media";
import { CallSession, DISCONNECTED_REBUILD_MS } from "./session";
import { fakeDevices, FakePeer, fakeServer, FakeTimers, settle, type Step } from "./testing";
import type { RemoteTrack } from "./types";

const agentCamera: RemoteTrack = { track_id: "agt_1:camera:video", peer_id: "agt_1", source: "camera", kind: "video" };
const agentMic: RemoteTrack = { track_id: "agt_1:microphone:audio", peer_id: "agt_1", source: "microphone", kind: "audio" };

async function started(remote: RemoteTrack[] = [agentMic, agentCamera]) {
  FakePeer.made = [];
  const log: Step[] = [];
  const srv = fakeServer(log);
  srv.remote = remote;
  const media = new LocalMedia({ microphone: null, camera: null }, fakeDevices());
  await media.open("microphone");
  await media.open("camera");
  const timers = new FakeTimers();
  const gone: (string | null)[] = [];
  let mayRebuild = true;
  const session = new CallSession({
    signal: srv.signal, media, timers,
    createPeer: (config) => {
      log.push("new pc");
      return new FakePeer(config) as unknown as RTCPeerConnection;
    },
    gone: (code) => gone.push(code),
    mayRebuild: () => mayRebuild,
  });
  await session.start();
  await settle();
  return { session, srv, log, media, timers, gone, setMayRebuild: (v: boolean) => { mayRebuild = v; } };
}

// ---- tests ----------------------------------------------------------------------------------

test("joining publishes each source on its own sendonly transceiver, with slots for the others", async () => {
  const { session, srv, log } = await started();
  const pc = FakePeer.made[0]!;
  assert.equal(pc.config.bundlePolicy, "max-bundle");
  assert.deepEqual(pc.config.iceServers, [{ urls: ["stun:x"] }]);
  assert.deepEqual(pc.transceivers.map((t) => t.direction), ["sendonly", "sendonly", "recvonly", "recvonly"]);
  assert.deepEqual(srv.offers[0], [{ mid: "0", source: "microphone" }, { mid: "1", source: "camera" }]);
  assert.deepEqual(log, ["join 1", "new pc", "offer offer with 4 sections"]);
  assert.deepEqual(session.view.remote.map((r) => [r.source, r.mid]), [["microphone", "2"], ["camera", "3"]]);
  assert.equal(session.view.remote[1]!.track, pc.transceivers[3]!.receiver.track as unknown);
  // Caps are on the senders (setParameters).
  assert.equal(pc.transceivers[1]!.sender.params.encodings[0]!.maxBitrate, 1_200_000);
  assert.equal(pc.transceivers[0]!.sender.params.encodings[0]!.maxBitrate, 64_000);
  pc.becomes("connected");
  assert.equal(session.view.phase, "connected");
});

test("muting is said to the others, and who else is muted is known from the join on", async () => {
  const { session, srv } = await started();
  assert.deepEqual(session.view.remoteMuted, []);
  session.setMuted(true);
  session.setMuted(false);
  await settle();
  assert.deepEqual(srv.mutedSaid, [true, false]);
  session.remoteMutedChanged("agt_1", true);
  assert.deepEqual(session.view.remoteMuted, ["agt_1"]);
  session.remoteMutedChanged("vis_1", true);  // ourselves: not another participant
  assert.deepEqual(session.view.remoteMuted, ["agt_1"]);
  session.remoteMutedChanged("agt_1", false);
  assert.deepEqual(session.view.remoteMuted, []);
  // Joining again (a rebuild, the next page) muted: says so; the others' state comes with it.
  srv.mutedOthers = ["agt_1"];
  session.setMuted(true);
  await session.rebuild("test");
  await settle();
  assert.deepEqual(session.view.remoteMuted, ["agt_1"]);
  assert.deepEqual(srv.mutedSaid, [true, false, true, true]);
});

test("a rebuild joins again first, then drops the old connection and republishes the same tracks", async () => {
  const { session, log, media } = await started();
  const first = FakePeer.made[0]!;
  first.becomes("connected");
  log.length = 0;
  await session.rebuild("call_peer_failed");
  await settle();
  assert.deepEqual(log, ["join 2", "new pc", "offer offer with 4 sections"]);
  assert.equal(first.closed, true);
  const second = FakePeer.made[1]!;
  assert.equal(second.transceivers[0]!.sender.track, media.track("microphone") as unknown);
  assert.equal(second.transceivers[1]!.sender.track, media.track("camera") as unknown);
  assert.equal(session.view.phase, "reconnecting");
  // The old connection's late events change nothing.
  first.becomes("failed");
  await settle();
  assert.equal(FakePeer.made.length, 2);
  second.becomes("connected");
  assert.equal(session.view.phase, "connected");
});

test("failed rebuilds at once; disconnected only if it lasts", async () => {
  const { timers } = await started();
  const pc = FakePeer.made[0]!;
  pc.becomes("connected");
  pc.becomes("disconnected");
  pc.becomes("connected"); // a blip
  timers.run(DISCONNECTED_REBUILD_MS);
  await settle();
  assert.equal(FakePeer.made.length, 1);
  pc.becomes("disconnected");
  timers.run(DISCONNECTED_REBUILD_MS);
  await settle();
  assert.equal(FakePeer.made.length, 2);
  FakePeer.made[1]!.becomes("failed");
  await settle();
  // A second rebuild in a row without connecting in between waits a little.
  assert.equal(FakePeer.made.length, 2);
  timers.run(1_000);
  await settle();
  assert.equal(FakePeer.made.length, 3);
});

test("a refused renegotiation rebuilds when a new connection cures it, else says so", async () => {
  const { session, srv } = await started();
  FakePeer.made[0]!.becomes("connected");
  srv.refuseOffer = "wrong_state";
  session.remoteTracksChanged([agentMic, agentCamera]);
  await settle();
  srv.refuseOffer = null;
  await settle();
  assert.equal(FakePeer.made.length, 2, "wrong_state: the server's peer is gone, join again");
  FakePeer.made[1]!.becomes("connected");
  srv.refuseOffer = "invalid_sdp";
  session.remoteTracksChanged([agentMic]);
  await settle();
  assert.equal(FakePeer.made.length, 2);
  assert.match(session.view.problem ?? "", /could not be set up \(invalid_sdp\)/);
});

test("a refused join ends it (the call is over); a lost one is retried", async () => {
  const { session, srv, gone, timers } = await started();
  FakePeer.made[0]!.becomes("connected");
  srv.refuseJoin = "timeout";
  await session.rebuild("test");
  await settle();
  assert.equal(srv.joins, 2);
  assert.deepEqual(gone, []);
  srv.refuseJoin = "conflict";
  timers.run(10_000);
  await settle();
  assert.equal(srv.joins, 3);
  assert.deepEqual(gone, ["conflict"]);
});

test("another tab holding the call stops the rebuild", async () => {
  const { session, gone, setMayRebuild } = await started();
  setMayRebuild(false);
  await session.rebuild("test");
  assert.deepEqual(gone, ["moved"]);
  assert.equal(FakePeer.made.length, 1);
});

test("camera off removes its sender (the m-section stays); on again adds a new one", async () => {
  const { session, srv, media } = await started();
  const pc = FakePeer.made[0]!;
  const camera = media.track("camera");
  await session.setSource("camera", false);
  assert.equal(pc.transceivers[1]!.direction, "inactive");
  assert.equal(camera?.readyState, "ended", "the camera light goes off");
  assert.deepEqual(srv.offers.at(-1), [{ mid: "0", source: "microphone" }]);
  assert.equal(session.view.local.camera, undefined);
  await session.setSource("camera", true);
  assert.equal(pc.transceivers.length, 5);
  assert.deepEqual(srv.offers.at(-1), [{ mid: "0", source: "microphone" }, { mid: "4", source: "camera" }]);
  // Mute keeps the sender and disables the track.
  session.setMuted(true);
  assert.equal(media.track("microphone")?.enabled, false);
  assert.equal(pc.transceivers[0]!.sender.track, media.track("microphone") as unknown);
});

test("what we can receive changing mid-join is not lost", async () => {
  FakePeer.made = [];
  const log: Step[] = [];
  const srv = fakeServer(log);
  const media = new LocalMedia({ microphone: null, camera: null }, fakeDevices());
  await media.open("microphone");
  let session: CallSession | null = null;
  const join = srv.signal.join;
  srv.signal.join = async () => {
    // The agent publishes while our join is on its way: its notification comes first.
    session!.remoteTracksChanged([agentMic, agentCamera]);
    return join();
  };
  session = new CallSession({ signal: srv.signal, media, timers: new FakeTimers(),
                              createPeer: (c) => new FakePeer(c) as unknown as RTCPeerConnection });
  srv.remote = [agentMic, agentCamera];
  await session.start();
  await settle();
  assert.deepEqual(FakePeer.made[0]!.transceivers.map((t) => t.direction), ["sendonly", "recvonly", "recvonly"]);
  assert.equal(session.view.remote.length, 2);
});

test("closing stops the devices and the connection, once", async () => {
  const { session, media } = await started();
  const mic = media.track("microphone");
  session.close();
  session.close();
  assert.equal(FakePeer.made[0]!.closed, true);
  assert.equal(mic?.readyState, "ended");
  assert.equal(session.view.phase, "closed");
  await session.rebuild("late");
  assert.equal(FakePeer.made.length, 1);
});
