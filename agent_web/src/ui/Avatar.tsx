// A round photo, or initials on a colour derived from the name.
import type { JSX } from "preact";

const COLOURS = ["#6366f1", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#14b8a6", "#ec4899"];

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return "?";
  return ((parts[0]![0] ?? "") + (parts.length > 1 ? parts[parts.length - 1]![0] ?? "" : "")).toUpperCase();
}

function colour(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLOURS[h % COLOURS.length]!;
}

export function Avatar({ name, photo, size = 32, status }: {
  name: string; photo?: string | null; size?: number; status?: "online" | "away" | "offline" | null;
}): JSX.Element {
  const style = { width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.4)}px` };
  return (
    <span class="avatar" style={style}>
      {photo ? <img src={photo} alt="" /> : <span class="avatar-initials" style={{ background: colour(name) }}>{initials(name)}</span>}
      {status ? <span class={`avatar-dot dot-${status}`} aria-hidden="true" /> : null}
    </span>
  );
}
