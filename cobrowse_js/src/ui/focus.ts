// Where focus goes: kept inside a modal box (the widget's full-screen panel, the console's
// dialogs): from the last control Tab goes to the first, from the first Shift+Tab to the last;
// and somewhere meaningful when the control that had it goes away.

import type { RefObject } from "preact";
import { useCallback, useRef } from "preact/hooks";

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

/** The element with focus, looking into shadow roots (the widget's, the sharing bar's). */
export function deepActive(): HTMLElement | null {
  let el = document.activeElement as HTMLElement | null;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement as HTMLElement;
  return el;
}

/** A ref for a button that goes away once it has done its work ("Stop recording", "Take back
 * control"). If it had the focus, the focus moves to `then` (focusable with tabIndex -1: the
 * status line saying what changed) instead of falling to the page's body: a keyboard user keeps
 * their place, and a screen reader reads the new state. */
export function useFocusWhenGone(then: RefObject<HTMLElement>): (el: HTMLElement | null) => void {
  const held = useRef<HTMLElement | null>(null);
  return useCallback((el: HTMLElement | null) => {
    const was = held.current;
    held.current = el;
    // Preact lets go of the ref before it removes the element: it still has the focus here.
    if (el !== null || was === null || deepActive() !== was) return;
    void Promise.resolve().then(() => {
      const now = deepActive();
      if (!was.isConnected && (now === null || now === document.body)) {
        then.current?.focus({ preventScroll: true });
      }
    });
  }, []);
}
