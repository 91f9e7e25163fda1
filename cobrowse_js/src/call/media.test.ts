import assert from "node:assert/strict";
import { test } from "node:test";

import { capBitrate, isCapped, MAX_BITRATE_BPS } from "./bitrate";
import { LocalMedia, MediaProblem, problemText, toDevices } from "./media";
import { FakeSender, fakeDevices } from "./testing";

test("refusals are told in words, per source and reason", () => {
  assert.match(problemText("camera", "NotAllowedError"), /blocking the camera\. Allow it/);
  assert.match(problemText("microphone", "NotFoundError"), /No microphone was found/);
  assert.match(problemText("camera", "NotReadableError"), /in use by another app/);
  assert.match(problemText("screen", "NotAllowedError"), /Screen sharing was cancelled/);
  assert.match(problemText("microphone", "unsupported"), /secure \(https\) page/);
  assert.match(problemText("camera", "SomethingNew"), /could not be started/);
});

test("a refused device throws a MediaProblem carrying the words", async () => {
  const media = new LocalMedia(undefined, fakeDevices({ microphone: "NotFoundError" }));
  await assert.rejects(media.open("microphone"), (e: unknown) =>
    e instanceof MediaProblem && e.reason === "NotFoundError" && /No microphone/.test(e.message));
  const none = new LocalMedia(undefined, null);
  await assert.rejects(none.open("camera"), (e: unknown) =>
    e instanceof MediaProblem && e.reason === "unsupported");
});

test("a remembered device that is gone falls back to the default one", async () => {
  const devices = fakeDevices();
  const asked: unknown[] = [];
  const real = devices.getUserMedia;
  devices.getUserMedia = async (c?: MediaStreamConstraints) => {
    asked.push(c?.video);
    if ((c?.video as MediaTrackConstraints).deviceId) {
      throw Object.assign(new Error("gone"), { name: "OverconstrainedError" });
    }
    return real(c);
  };
  const media = new LocalMedia({ microphone: null, camera: "old-cam" }, devices);
  const track = await media.open("camera");
  assert.equal(track.kind, "video");
  assert.equal(asked.length, 2);
  assert.equal(media.choice.camera, null);
});

test("mute disables the microphone track, also one opened later; screens are 'detail'", async () => {
  const media = new LocalMedia(undefined, fakeDevices());
  media.setMuted(true);
  const mic = await media.open("microphone");
  assert.equal(mic.enabled, false);
  media.setMuted(false);
  assert.equal(mic.enabled, true);
  const screen = await media.open("screen");
  assert.equal(screen.contentHint, "detail");
  assert.deepEqual(media.sources, ["microphone", "screen"]);
  media.stopAll();
  assert.equal(mic.readyState, "ended");
  assert.deepEqual(media.sources, []);
});

test("a track the browser ends is reported once and forgotten", async () => {
  const media = new LocalMedia(undefined, fakeDevices());
  const ended: string[] = [];
  media.onEnded = (source) => ended.push(source);
  const screen = await media.open("screen");
  screen.onended?.(new Event("ended"));
  assert.deepEqual(ended, ["screen"]);
  assert.equal(media.track("screen"), null);
});

test("device lists: labels when allowed, numbered otherwise", () => {
  const info = (kind: string, deviceId: string, label = "") =>
    ({ kind, deviceId, label, groupId: "", toJSON: () => ({}) }) as MediaDeviceInfo;
  assert.deepEqual(toDevices([info("audioinput", "a", "Headset"), info("videoinput", "v"),
                              info("audiooutput", "o", "Speakers"), info("videoinput", "")]), {
    microphones: [{ id: "a", label: "Headset" }], cameras: [{ id: "v", label: "Camera 1" }] });
});

test("bitrate caps go on the sender's one encoding, once", async () => {
  const sender = new FakeSender(null);
  assert.equal(await capBitrate(sender as never, "screen"), true);
  assert.deepEqual(sender.params.encodings, [{ maxBitrate: MAX_BITRATE_BPS.screen, maxFramerate: 15 }]);
  assert.equal(isCapped(sender.getParameters() as never, "screen"), true);
  assert.equal(isCapped(sender.getParameters() as never, "camera"), false);
  sender.params = { encodings: [] };
  assert.equal(await capBitrate(sender as never, "camera"), false, "nothing to cap yet");
});
