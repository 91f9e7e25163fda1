// A call's health from `getStats()`: per receive slot (mid), what arrives and is decoded; per
// sending mid, what goes out and what limits it. Enough for a quality hint and for diagnostics.

export interface Inbound {
  mid: string;
  kind: string;
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
  framesPerSecond: number | null;
  width: number | null;
  height: number | null;
}

export interface Outbound {
  mid: string;
  kind: string;
  bytesSent: number;
  framesPerSecond: number | null;
  width: number | null;
  height: number | null;
  /** "bandwidth", "cpu", "none"… (video). */
  limitation: string | null;
}

export interface CallStats {
  inbound: Inbound[];
  outbound: Outbound[];
  /** Round trip to the server on the selected candidate pair, in ms. */
  rttMs: number | null;
}

type Entry = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** `report` is what `pc.getStats()` resolves to (any iterable of [id, stats]). */
export function summarize(report: { forEach(cb: (value: Entry) => void): void }): CallStats {
  const stats: CallStats = { inbound: [], outbound: [], rttMs: null };
  report.forEach((r) => {
    const mid = str(r.mid);
    if (r.type === "inbound-rtp" && mid !== null) {
      stats.inbound.push({
        mid, kind: str(r.kind) ?? "", packetsReceived: num(r.packetsReceived) ?? 0,
        packetsLost: num(r.packetsLost) ?? 0, framesDecoded: num(r.framesDecoded) ?? 0,
        framesPerSecond: num(r.framesPerSecond), width: num(r.frameWidth),
        height: num(r.frameHeight),
      });
    } else if (r.type === "outbound-rtp" && mid !== null) {
      stats.outbound.push({
        mid, kind: str(r.kind) ?? "", bytesSent: num(r.bytesSent) ?? 0,
        framesPerSecond: num(r.framesPerSecond), width: num(r.frameWidth),
        height: num(r.frameHeight), limitation: str(r.qualityLimitationReason),
      });
    } else if (r.type === "candidate-pair" && r.nominated === true && r.state === "succeeded") {
      const rtt = num(r.currentRoundTripTime);
      if (rtt !== null) stats.rttMs = Math.round(rtt * 1000);
    }
  });
  return stats;
}

/** A few words on a received video, e.g. "1280×720 · 20 fps"; null before the first frame. */
export function describeVideo(inbound: Inbound | undefined): string | null {
  if (!inbound || inbound.framesDecoded === 0 || !inbound.width || !inbound.height) return null;
  const fps = inbound.framesPerSecond !== null ? ` · ${Math.round(inbound.framesPerSecond)} fps` : "";
  return `${inbound.width}×${inbound.height}${fps}`;
}
