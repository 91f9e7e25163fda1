import { test } from "node:test";
import assert from "node:assert/strict";
import { MasterClock, fileTime, mediaStep, timelineEnd } from "./clock";

function fakeNow(): { now: () => number; advance(ms: number): void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

test("the clock plays, pauses, seeks and changes speed without jumping", () => {
  const time = fakeNow();
  const clock = new MasterClock(60_000, time.now);
  assert.equal(clock.time(), 0);
  time.advance(500);
  assert.equal(clock.time(), 0, "paused: time stands still");
  clock.play();
  time.advance(2_000);
  assert.equal(clock.time(), 2_000);
  clock.setRate(2);
  time.advance(1_000);
  assert.equal(clock.time(), 4_000, "2× from where it was");
  clock.pause();
  time.advance(5_000);
  assert.equal(clock.time(), 4_000);
  clock.seek(30_000);
  assert.equal(clock.time(), 30_000);
  clock.setRate(0.5);
  clock.play();
  time.advance(1_000);
  assert.equal(clock.time(), 30_500);
  clock.seek(-5);
  assert.equal(clock.time(), 0, "clamped to the start");
});

test("the clock stops at the end and plays again from the start", () => {
  const time = fakeNow();
  const clock = new MasterClock(10_000, time.now);
  clock.seek(9_000);
  clock.play();
  time.advance(5_000);
  assert.equal(clock.time(), 10_000);
  assert.ok(clock.atEnd);
  clock.pause();
  clock.play();
  assert.equal(clock.time(), 0);
});

test("a file's own time is the conversation time minus its offset", () => {
  const file = { start_offset_ms: 41_250, duration_ms: 93_120 };
  assert.equal(fileTime(41_250, file), 0);
  assert.equal(fileTime(51_250, file), 10);
  assert.equal(fileTime(40_250, file), -1);
});

test("media elements follow the clock: hidden outside their file, moved when they drift", () => {
  const file = { start_offset_ms: 10_000, duration_ms: 20_000 };
  const at = (currentTime: number, paused = true, seeking = false) => ({ currentTime, paused, seeking });
  assert.deepEqual(mediaStep(5_000, true, file, at(0), Infinity),
    { visible: false, play: false, seekTo: null }, "before the file: parked at 0");
  assert.deepEqual(mediaStep(5_000, true, file, at(3), Infinity),
    { visible: false, play: false, seekTo: 0 });
  assert.deepEqual(mediaStep(15_000, true, file, at(5.1, false), Infinity),
    { visible: true, play: true, seekTo: null }, "100 ms off: left alone");
  assert.deepEqual(mediaStep(15_000, true, file, at(5.3, false), Infinity),
    { visible: true, play: true, seekTo: 5 }, "300 ms off: moved");
  assert.deepEqual(mediaStep(15_000, true, file, at(5.3, false), 200),
    { visible: true, play: true, seekTo: null }, "just moved: allowed to settle");
  assert.deepEqual(mediaStep(15_000, true, file, at(7, false), 200),
    { visible: true, play: true, seekTo: 5 }, "but not to wander off");
  assert.deepEqual(mediaStep(15_000, false, file, at(9, true, true), Infinity),
    { visible: true, play: false, seekTo: null }, "already seeking: not moved again");
  assert.deepEqual(mediaStep(12_345, false, file, at(0), 100),
    { visible: true, play: false, seekTo: 2.345 }, "paused: exact");
  assert.deepEqual(mediaStep(40_000, true, file, at(20), Infinity),
    { visible: false, play: false, seekTo: null }, "after the file: parked at its end");
});

test("the timeline runs to whatever ends last", () => {
  assert.equal(timelineEnd({ createdAt: 1_000, endedAt: 61_000, lastEventTs: 65_000,
    media: [{ start_offset_ms: 10_000, duration_ms: 20_000 }] }), 64_000);
  assert.equal(timelineEnd({ createdAt: 1_000, endedAt: null, lastEventTs: 2_000,
    media: [{ start_offset_ms: 10_000, duration_ms: 80_000 }] }), 90_000);
  assert.equal(timelineEnd({ createdAt: 0, endedAt: null, lastEventTs: null, media: [] }), 1_000);
});
