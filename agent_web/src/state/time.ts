// Time as the console shows it: the server's clock (offers expire on it), waiting times that
// tick, and short human formats.

/** The server's clock seen from here: log events carry the server's receive time, and a live
 * event arrives after it was stamped, so `ts - localNow` never overestimates the offset. The
 * largest of recent samples is the best guess (network delay only makes samples smaller). */
export class ServerClock {
  private samples: number[] = [];
  offsetMs = 0;

  observe(serverTs: number, localNow: number = Date.now()): void {
    this.samples.push(serverTs - localNow);
    if (this.samples.length > 20) this.samples.shift();
    this.offsetMs = Math.max(...this.samples);
  }

  now(localNow: number = Date.now()): number {
    return localNow + this.offsetMs;
  }
}

/** "45s", "2m 05s", "1h 03m". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Seconds waited since `since` (server ms), never negative. */
export function waitedSeconds(since: number | null, serverNow: number): number {
  return since === null ? 0 : Math.max(0, Math.floor((serverNow - since) / 1000));
}

export function formatClock(ts: number): string {
  const d = new Date(ts);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "14:05" today, "3 Mar, 14:05" this year, "3 Mar 2024" before. */
export function formatWhen(ts: number, now: number = Date.now()): string {
  const d = new Date(ts);
  const n = new Date(now);
  if (d.toDateString() === n.toDateString()) return formatClock(ts);
  const day = `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  if (d.getFullYear() === n.getFullYear()) return `${day}, ${formatClock(ts)}`;
  return `${day} ${d.getFullYear()}`;
}
