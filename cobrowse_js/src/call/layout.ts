// What goes where on a call screen: the big picture (a screen share wins over cameras), the
// small ones, the sounds; and putting a track on a <video>/<audio> element.

import type { RemoteMedia } from "./types";

export interface Layout {
  /** The big picture: someone's screen, else a camera (preferring `preferPeer`'s). */
  main: RemoteMedia | null;
  /** Other remote pictures (small tiles). */
  tiles: RemoteMedia[];
  audio: RemoteMedia[];
}

export function layout(remote: readonly RemoteMedia[], preferPeer: string | null = null): Layout {
  const video = remote.filter((r) => r.kind === "video");
  const rank = (r: RemoteMedia) => (r.source === "screen" ? 0 : 2) - (r.peerId === preferPeer ? 1 : 0);
  const sorted = [...video].sort((a, b) => rank(a) - rank(b));
  const main = sorted[0] ?? null;
  return { main, tiles: sorted.slice(1), audio: remote.filter((r) => r.kind === "audio") };
}

/** Shows `track` in `el` (nothing when null); a no-op when it already does. */
export function attachTrack(el: HTMLMediaElement | null, track: MediaStreamTrack | null): void {
  if (!el) return;
  const shown = (el.srcObject as MediaStream | null)?.getTracks()[0] ?? null;
  if (shown === track) return;
  el.srcObject = track ? new MediaStream([track]) : null;
  if (track) el.play().catch(() => undefined);
}
