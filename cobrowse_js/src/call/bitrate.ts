// What each source may send. The server forwards packets without relaying the viewer's
// bandwidth estimate back, so the browser caps itself (one encoding: no simulcast, which the
// media plane does not support).

import type { Source } from "./types";

export const MAX_BITRATE_BPS: Readonly<Record<Source, number>> = {
  microphone: 64_000,
  camera: 1_200_000,
  screen: 1_500_000,
};

/** Screens change little: fewer, sharper frames. */
export const MAX_FRAMERATE: Readonly<Partial<Record<Source, number>>> = {
  screen: 15,
};

export interface SenderLike {
  getParameters(): RTCRtpSendParameters;
  setParameters(parameters: RTCRtpSendParameters): Promise<void>;
}

/** True when the sender's (single) encoding already carries the caps. */
export function isCapped(parameters: RTCRtpSendParameters, source: Source): boolean {
  const encoding = parameters.encodings?.[0];
  if (!encoding) return false;
  const fps = MAX_FRAMERATE[source];
  return encoding.maxBitrate === MAX_BITRATE_BPS[source] &&
    (fps === undefined || encoding.maxFramerate === fps);
}

/** Applies the caps with `setParameters`; false when the browser has no encoding to cap yet
 * (before the first negotiation in some browsers) or refused. Never throws. */
export async function capBitrate(sender: SenderLike, source: Source): Promise<boolean> {
  try {
    const parameters = sender.getParameters();
    const encoding = parameters.encodings?.[0];
    if (!encoding) return false;
    if (isCapped(parameters, source)) return true;
    encoding.maxBitrate = MAX_BITRATE_BPS[source];
    const fps = MAX_FRAMERATE[source];
    if (fps !== undefined) encoding.maxFramerate = fps;
    await sender.setParameters(parameters);
    return true;
  } catch {
    return false;
  }
}
