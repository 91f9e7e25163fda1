import assert from "node:assert/strict";
import { mock, test } from "node:test";

import { startProblem } from "./state/wording";
import { TypingSignal } from "./typing";

test("typing is said once, and its end after a pause or on stop", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const said: boolean[] = [];
    const signal = new TypingSignal((typing) => { said.push(typing); return true; });
    signal.keystroke();
    signal.keystroke();
    mock.timers.tick(2_000);
    signal.keystroke();
    assert.deepEqual(said, [true]);
    mock.timers.tick(3_000);
    assert.deepEqual(said, [true, false]);
    signal.keystroke();
    signal.stop();
    signal.stop();
    assert.deepEqual(said, [true, false, true, false]);
  } finally {
    mock.timers.reset();
  }
});

test("nothing is said when nobody can hear, and a dropped connection forgets", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    let online = false;
    const said: boolean[] = [];
    const signal = new TypingSignal((typing) => {
      if (!online) return false;
      said.push(typing);
      return true;
    });
    signal.keystroke();
    mock.timers.tick(5_000);
    assert.deepEqual(said, []);
    online = true;
    signal.keystroke();
    signal.reset();
    mock.timers.tick(5_000);
    assert.deepEqual(said, [true]);
  } finally {
    mock.timers.reset();
  }
});

test("a failed start says what happened", () => {
  assert.match(startProblem("team_unavailable"), /Nobody can answer live/);
  assert.match(startProblem("timeout"), /can't reach our help desk/);
  assert.match(startProblem("internal_error"), /Something went wrong/);
});
