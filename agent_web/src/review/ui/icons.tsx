// The player's own icons (inline SVG: the CSP allows no external resources).
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

export const IconPlay = (p: P) => svg(<path d="M7 4.5v15l12-7.5-12-7.5Z" fill="currentColor" />, p);
export const IconPause = (p: P) => svg(<><rect x="6" y="4.5" width="4" height="15" rx="1" fill="currentColor" /><rect x="14" y="4.5" width="4" height="15" rx="1" fill="currentColor" /></>, p);
export const IconBack5 = (p: P) => svg(<><path d="M3 12a9 9 0 1 0 3-6.7L3 8" /><path d="M3 3v5h5" /></>, p);
export const IconFwd5 = (p: P) => svg(<><path d="M21 12a9 9 0 1 1-3-6.7L21 8" /><path d="M21 3v5h-5" /></>, p);
export const IconVolume = (p: P) => svg(<><path d="M4 9h4l5-4v14l-5-4H4V9Z" /><path d="M16.5 8.5a5 5 0 0 1 0 7" /></>, p);
export const IconMute = (p: P) => svg(<><path d="M4 9h4l5-4v14l-5-4H4V9Z" /><path d="M17 9l5 6M22 9l-5 6" /></>, p);
export const IconDownload = (p: P) => svg(<><path d="M12 4v11" /><path d="M7 10l5 5 5-5" /><path d="M4 20h16" /></>, p);
export const IconFilm = (p: P) => svg(<><rect x="3" y="4" width="18" height="16" rx="2" /><path d="M7 4v16M17 4v16M3 9h4M3 15h4M17 9h4M17 15h4" /></>, p);
export const IconPhone = (p: P) => svg(<path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2Z" />, p);
export const IconCursor = (p: P) => svg(<path d="M5 3l14 7-6 2-2 6L5 3Z" />, p);
export const IconNote = (p: P) => svg(<><path d="M5 4h14v11l-5 5H5V4Z" /><path d="M14 20v-5h5" /></>, p);
export const IconStar = (p: P) => svg(<path d="M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8-5.2-2.7-5.2 2.7 1-5.8-4.3-4.1 5.9-.9L12 3.5Z" />, p);
export const IconSearch = (p: P) => svg(<><circle cx="11" cy="11" r="7" /><path d="M20 20l-4-4" /></>, p);
export const IconArrowLeft = (p: P) => svg(<path d="M19 12H5M11 6l-6 6 6 6" />, p);
export const IconTrash = (p: P) => svg(<><path d="M4 7h16" /><path d="M10 11v6M14 11v6" /><path d="M6 7l1 13h10l1-13" /><path d="M9 7V4h6v3" /></>, p);
export const IconEdit = (p: P) => svg(<><path d="M4 20h4L19 9l-4-4L4 16v4z" /><path d="M13.5 6.5l4 4" /></>, p);
