// Inline icons (no requests, no fonts): 24×24, stroked in currentColor.

const common = {
  viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", "stroke-width": 2,
  "stroke-linecap": "round" as const, "stroke-linejoin": "round" as const,
  "aria-hidden": "true" as const, focusable: "false" as const,
};

export function ChatIcon() {
  return (
    <svg {...common}>
      <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 21 12Z" />
      <path d="M8.5 12h.01M12 12h.01M15.5 12h.01" stroke-width="2.6" />
    </svg>
  );
}

export function CloseIcon() {
  return <svg {...common}><path d="M6 6l12 12M18 6 6 18" /></svg>;
}

export function MinimiseIcon() {
  return <svg {...common}><path d="m6 9 6 6 6-6" /></svg>;
}

export function SendIcon() {
  return (
    <svg {...common}>
      <path d="M5 12h13M13 6l6 6-6 6" />
    </svg>
  );
}
