import { test } from "node:test";
import assert from "node:assert/strict";
import { ServerClock, formatDuration, formatWhen, waitedSeconds } from "./time";

test("the server clock offset is the largest recent sample", () => {
  const clock = new ServerClock();
  assert.equal(clock.now(1000), 1000);
  clock.observe(5_000, 4_000); // server 1 s ahead, seen with no delay
  clock.observe(5_100, 4_300); // seen late: 0.8 s
  assert.equal(clock.offsetMs, 1_000);
  assert.equal(clock.now(10_000), 11_000);
});

test("durations and waits", () => {
  assert.equal(formatDuration(0), "0s");
  assert.equal(formatDuration(59.9), "59s");
  assert.equal(formatDuration(125), "2m 05s");
  assert.equal(formatDuration(3 * 3600 + 7 * 60), "3h 07m");
  assert.equal(waitedSeconds(1_000, 61_500), 60);
  assert.equal(waitedSeconds(10_000, 5_000), 0);
  assert.equal(waitedSeconds(null, 5_000), 0);
});

test("dates: time today, day and time this year", () => {
  const now = new Date(2025, 5, 15, 12, 0).getTime();
  assert.equal(formatWhen(new Date(2025, 5, 15, 9, 5).getTime(), now), "09:05");
  assert.equal(formatWhen(new Date(2025, 2, 3, 14, 5).getTime(), now), "3 Mar, 14:05");
  assert.equal(formatWhen(new Date(2023, 2, 3).getTime(), now), "3 Mar 2023");
});
