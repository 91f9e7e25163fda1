// Inline SVG icons (the CSP allows no external resources, and they follow the text colour).
import type { JSX } from "preact";

type P = { size?: number };

function svg(path: JSX.Element, { size = 18 }: P): JSX.Element {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor"
      stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
      {path}
    </svg>
  );
}

export const IconChat = (p: P) => svg(<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12Z" />, p);
export const IconInbox = (p: P) => svg(<><path d="M4 13h4l2 3h4l2-3h4" /><path d="M5.5 5h13L21 13v6H3v-6L5.5 5Z" /></>, p);
export const IconChart = (p: P) => svg(<><path d="M4 20V10" /><path d="M10 20V4" /><path d="M16 20v-7" /><path d="M22 20H2" /></>, p);
export const IconBolt = (p: P) => svg(<path d="M13 2 4 14h7l-1 8 9-12h-7l1-8Z" />, p);
export const IconUser = (p: P) => svg(<><circle cx="12" cy="8" r="4" /><path d="M4 21a8 8 0 0 1 16 0" /></>, p);
export const IconLogout = (p: P) => svg(<><path d="M15 4h4v16h-4" /><path d="M10 17l5-5-5-5" /><path d="M15 12H3" /></>, p);
export const IconBell = (p: P) => svg(<><path d="M6 16V11a6 6 0 1 1 12 0v5l2 2H4l2-2Z" /><path d="M10 21h4" /></>, p);
export const IconBellOff = (p: P) => svg(<><path d="M6 16V11a6 6 0 0 1 9.5-4.9" /><path d="M18 11v5l2 2H8" /><path d="M3 3l18 18" /><path d="M10 21h4" /></>, p);
export const IconClose = (p: P) => svg(<path d="M6 6l12 12M18 6 6 18" />, p);
export const IconSend = (p: P) => svg(<path d="M4 12 20 4l-5 16-3-7-8-1Z" />, p);
export const IconLock = (p: P) => svg(<><rect x="5" y="11" width="14" height="10" rx="2" /><path d="M8 11V8a4 4 0 0 1 8 0v3" /></>, p);
export const IconTransfer = (p: P) => svg(<><path d="M4 8h14l-4-4" /><path d="M20 16H6l4 4" /></>, p);
export const IconCheck = (p: P) => svg(<path d="M5 12.5 10 17 19 7" />, p);
export const IconEye = (p: P) => svg(<><path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12Z" /><circle cx="12" cy="12" r="3" /></>, p);
export const IconJoin = (p: P) => svg(<><circle cx="9" cy="8" r="4" /><path d="M2 21a7 7 0 0 1 12-4.9" /><path d="M19 14v6M16 17h6" /></>, p);
export const IconPanel = (p: P) => svg(<><rect x="3" y="4" width="18" height="16" rx="2" /><path d="M15 4v16" /></>, p);
export const IconClock = (p: P) => svg(<><circle cx="12" cy="12" r="9" /><path d="M12 7v5l3 2" /></>, p);
export const IconRefresh = (p: P) => svg(<><path d="M20 11a8 8 0 0 0-14.9-3M4 4v4h4" /><path d="M4 13a8 8 0 0 0 14.9 3M20 20v-4h-4" /></>, p);
export const IconHistory = (p: P) => svg(<><path d="M3 12a9 9 0 1 0 3-6.7L3 8" /><path d="M3 3v5h5" /><path d="M12 7v5l3 2" /></>, p);
export const IconPhone = (p: P) => svg(<path d="M5 4h3l2 5-2.5 1.5a11 11 0 0 0 6 6L15 14l5 2v3a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2" />, p);
export const IconHangUp = (p: P) => svg(<path d="M3 15.5c4.9-4.7 13.1-4.7 18 0l-2.3 2.3-3.4-1.6.3-2.7a12 12 0 0 0-7.2 0l.3 2.7-3.4 1.6Z" />, p);
export const IconVideo = (p: P & { off?: boolean }) => svg(<><rect x="3" y="6" width="12" height="12" rx="2" /><path d="m15 10 6-3v10l-6-3" />{p.off ? <path d="M2 2l20 20" /> : null}</>, p);
export const IconMic = (p: P & { off?: boolean }) => svg(<><rect x="9" y="3" width="6" height="11" rx="3" /><path d="M5 11a7 7 0 0 0 14 0M12 18v3" />{p.off ? <path d="M3 3l18 18" /> : null}</>, p);
export const IconScreen = (p: P) => svg(<><rect x="3" y="4" width="18" height="12" rx="2" /><path d="M8 20h8M12 16v4M12 13V7M9 10l3-3 3 3" /></>, p);
export const IconExpand = (p: P) => svg(<path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />, p);
