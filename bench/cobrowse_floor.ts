// The benchmark's floor view: the same live replay as the console's co-browse view, fed by a
// bare WebSocket relay instead of Aisle. Reports when each event reached the mirror.
import { inflateSync } from "fflate";

import { LiveReplay } from "../agent_web/src/cobrowse/replay";
import { decode } from "../agent_web/src/cobrowse/stream";

const applied: [number, number, number][] = [];
const bytes = { wire: 0, raw: 0 };
Object.assign(window, { __applied: applied, __bytes: bytes });
const root = document.getElementById("mirror")!;
const replay = new LiveReplay(root, {
  applied: (sentAt, type) => applied.push([sentAt, Date.now(), type]),
});
const ws = new WebSocket(`ws://${location.host}/echo?role=agent`);
ws.binaryType = "arraybuffer";
ws.onopen = () => document.body.setAttribute("data-ready", "1");
ws.onmessage = (m) => {
  const data = new Uint8Array(m.data as ArrayBuffer);
  bytes.wire += data.length;
  try {
    bytes.raw += inflateSync(data).length;
  } catch {
    // not a whole batch (a part of a large one): the floor view skips it
  }
  const events = decode(new Uint8Array(m.data as ArrayBuffer));
  if (!events) return;
  if (events.some((e) => e.type === 2)) replay.reset(events);
  else replay.add(events);
};
