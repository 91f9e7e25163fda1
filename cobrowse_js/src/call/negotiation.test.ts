import assert from "node:assert/strict";
import { test } from "node:test";

import { mapSlots, Negotiator, type PeerLike, slotCount, type TransceiverLike } from "./negotiation";
import type { CallAnswer, Candidate, ReceiveSlot, TrackSource } from "./types";

class FakeTransceiver implements TransceiverLike {
  mid: string | null = null;
  constructor(public direction: string, readonly receiver: { track: { kind: string } }) {}
}

/** Enough of RTCPeerConnection: mids are assigned by setLocalDescription, in order. */
class FakePeer implements PeerLike<FakeTransceiver> {
  readonly transceivers: FakeTransceiver[] = [];
  localDescription: { sdp: string } | null = null;
  signalingState = "stable";
  offers = 0;
  rollbacks = 0;
  answersApplied: string[] = [];
  failAnswer = false;

  async setLocalDescription(description?: { type: "rollback" }): Promise<void> {
    if (description?.type === "rollback") {
      this.rollbacks += 1;
      this.signalingState = "stable";
      return;
    }
    this.offers += 1;
    this.transceivers.forEach((t, i) => { t.mid ??= String(i); });
    this.localDescription = { sdp: `offer-${this.offers}` };
    this.signalingState = "have-local-offer";
  }

  async setRemoteDescription(description: { type: "answer"; sdp: string }): Promise<void> {
    if (this.failAnswer) throw new Error("bad answer");
    this.answersApplied.push(description.sdp);
    this.signalingState = "stable";
  }

  getTransceivers(): FakeTransceiver[] {
    return this.transceivers;
  }

  addTransceiver(kind: "audio" | "video", init: { direction: string }): FakeTransceiver {
    const t = new FakeTransceiver(init.direction, { track: { kind } });
    this.transceivers.push(t);
    return t;
  }
}

interface Pending {
  sdp: string;
  sources: TrackSource[];
  answer(receive?: ReceiveSlot[]): void;
  refuse(code: string): void;
}

/** A server whose answers the test releases one by one. */
function server() {
  const offers: Pending[] = [];
  const candidates: Candidate[] = [];
  const signal = {
    offer(sdp: string, sources: TrackSource[]): Promise<CallAnswer> {
      return new Promise((resolve, reject) => offers.push({
        sdp, sources,
        answer: (receive = []) => resolve({ sdp: `answer-to-${sdp}`, receive, published: [] }),
        refuse: (code) => reject(Object.assign(new Error(code), { code })),
      }));
    },
    async candidate(c: Candidate): Promise<void> {
      candidates.push(c);
    },
  };
  return { offers, candidates, signal };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const pc = new FakePeer();
  const srv = server();
  const answered: ReceiveSlot[][] = [];
  const failures: unknown[] = [];
  const negotiator = new Negotiator(pc, srv.signal, {
    answered: (receive) => answered.push([...receive]),
    failed: (error) => failures.push(error),
  });
  return { pc, srv, answered, failures, negotiator };
}

const slot = (mid: string, source: "microphone" | "camera" | "screen" = "camera"
): ReceiveSlot => ({ mid, track_id: `agt_1:${source}:video`, peer_id: "agt_1", source,
                     kind: source === "microphone" ? "audio" : "video" });

test("the offer names each sending transceiver's source by mid, not the receive slots", async () => {
  const { pc, srv, negotiator } = setup();
  const mic = pc.addTransceiver("audio", { direction: "sendonly" });
  const cam = pc.addTransceiver("video", { direction: "sendonly" });
  negotiator.publishing(mic, "microphone");
  negotiator.publishing(cam, "camera");
  negotiator.ensureSlots([{ kind: "video" }, { kind: "audio" }]);
  const done = negotiator.negotiate();
  await settle();
  assert.equal(srv.offers.length, 1);
  assert.deepEqual(srv.offers[0]!.sources, [{ mid: "0", source: "microphone" },
                                            { mid: "1", source: "camera" }]);
  assert.equal(pc.transceivers.length, 4);
  srv.offers[0]!.answer([slot("2", "camera")]);
  assert.equal(await done, true);
  assert.deepEqual(pc.answersApplied, ["answer-to-offer-1"]);
});

test("changes during a negotiation are folded into exactly one more offer", async () => {
  const { pc, srv, negotiator, answered } = setup();
  const first = negotiator.negotiate();
  await settle();
  const second = negotiator.negotiate();
  const third = negotiator.negotiate();
  await settle();
  assert.equal(srv.offers.length, 1, "one offer in flight at a time");
  srv.offers[0]!.answer();
  assert.equal(await first, true);
  await settle();
  assert.equal(srv.offers.length, 2, "the two requests made meanwhile became one offer");
  srv.offers[1]!.answer([slot("0")]);
  assert.deepEqual([await second, await third], [true, true]);
  await settle();
  assert.equal(srv.offers.length, 2);
  assert.equal(pc.offers, 2);
  assert.deepEqual(answered.map((r) => r.length), [0, 1]);
  // Idle again: the next request offers at once.
  void negotiator.negotiate();
  await settle();
  assert.equal(srv.offers.length, 3);
});

test("an unpublished (inactive) transceiver is no longer named; slots count only recvonly", async () => {
  const { pc, srv, negotiator } = setup();
  const cam = pc.addTransceiver("video", { direction: "sendonly" });
  negotiator.publishing(cam, "camera");
  negotiator.ensureSlots([{ kind: "video" }]);
  void negotiator.negotiate();
  await settle();
  srv.offers[0]!.answer();
  await settle();
  cam.direction = "inactive"; // what removeTrack does to a sendonly transceiver
  negotiator.unpublished(cam);
  assert.equal(negotiator.transceiverOf("camera"), null);
  assert.equal(slotCount(pc.transceivers, "video"), 1);
  assert.equal(negotiator.ensureSlots([{ kind: "video" }]), 0, "the free slot is reused");
  assert.equal(negotiator.ensureSlots([{ kind: "video" }, { kind: "video" }]), 1);
  void negotiator.negotiate();
  await settle();
  assert.deepEqual(srv.offers[1]!.sources, []);
});

test("candidates wait for the first answer, then go in order; later ones go at once", async () => {
  const { srv, negotiator } = setup();
  const c = (n: number): Candidate => ({ candidate: `candidate:${n}`, sdp_mid: "0",
                                         sdp_mline_index: 0 });
  negotiator.candidate(c(1));
  void negotiator.negotiate();
  await settle();
  negotiator.candidate(c(2));
  await settle();
  assert.equal(srv.candidates.length, 0, "the server refuses candidates before an offer");
  srv.offers[0]!.answer();
  await settle();
  negotiator.candidate({ candidate: "", sdp_mid: null, sdp_mline_index: null });
  await settle();
  assert.deepEqual(srv.candidates.map((x) => x.candidate), ["candidate:1", "candidate:2", ""]);
});

test("a refused offer rolls back, is reported once, and drops the rounds asked meanwhile", async () => {
  const { pc, srv, negotiator, failures } = setup();
  const first = negotiator.negotiate();
  await settle();
  const second = negotiator.negotiate();
  srv.offers[0]!.refuse("wrong_state");
  assert.deepEqual([await first, await second], [false, false]);
  assert.equal(failures.length, 1);
  assert.equal((failures[0] as { code: string }).code, "wrong_state");
  assert.equal(pc.rollbacks, 1);
  assert.equal(pc.signalingState, "stable");
  assert.equal(srv.offers.length, 1);
  assert.equal(negotiator.lastRoundOk, false);
  // The next request is a fresh round.
  const third = negotiator.negotiate();
  await settle();
  srv.offers[1]!.answer();
  assert.equal(await third, true);
});

test("a bad answer is a failure too", async () => {
  const { pc, srv, negotiator, failures } = setup();
  pc.failAnswer = true;
  const done = negotiator.negotiate();
  await settle();
  srv.offers[0]!.answer();
  assert.equal(await done, false);
  assert.equal(failures.length, 1);
});

test("closing settles every waiter with false and ignores late answers", async () => {
  const { pc, srv, negotiator, answered } = setup();
  const first = negotiator.negotiate();
  await settle();
  const second = negotiator.negotiate();
  negotiator.close();
  srv.offers[0]!.answer([slot("0")]);
  assert.deepEqual([await first, await second], [false, false]);
  await settle();
  assert.deepEqual(answered, []);
  assert.deepEqual(pc.answersApplied, []);
  assert.equal(await negotiator.negotiate(), false);
  negotiator.candidate({ candidate: "candidate:9", sdp_mid: "0", sdp_mline_index: 0 });
  await settle();
  assert.equal(srv.candidates.length, 0);
});

test("the answer's receive list maps to our transceivers by mid", () => {
  const a = new FakeTransceiver("recvonly", { track: { kind: "video" } });
  const b = new FakeTransceiver("recvonly", { track: { kind: "audio" } });
  a.mid = "3";
  b.mid = "4";
  const mapped = mapSlots([a, b], [slot("4", "microphone"), slot("3", "screen"), slot("9")]);
  assert.deepEqual(mapped.map((m) => [m.slot.source, m.transceiver]),
                   [["microphone", b], ["screen", a]]);
});
