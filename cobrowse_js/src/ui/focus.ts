// Keeping Tab inside a modal box (the widget's full-screen panel, the console's dialogs): from
// the last control Tab goes to the first, from the first Shift+Tab to the last.

export const FOCUSABLE = "button:not([disabled]), [href], input:not([disabled])," +
  " select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

export function keepTabInside(e: KeyboardEvent, box: HTMLElement | null): void {
  if (e.key !== "Tab" || !box) return;
  const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)]
    .filter((el) => el.getClientRects().length > 0);  // shown
  if (items.length === 0) return;
  // Inside a shadow root, the document's active element is the host: ask the root.
  const active = (box.getRootNode() as ShadowRoot | Document).activeElement;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  if (e.shiftKey && active === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}
