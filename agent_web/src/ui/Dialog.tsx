// A modal dialog: focus moves in and comes back, Escape and the backdrop close it, Tab stays inside.
import type { ComponentChildren, JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { FOCUSABLE, keepTabInside } from "../../../cobrowse_js/src/ui/focus";

export function Dialog({ title, onClose, children, footer, wide }: {
  title: string; onClose: () => void; children: ComponentChildren; footer?: ComponentChildren; wide?: boolean;
}): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>("[data-autofocus]")
      ?? box.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => before?.focus();
  }, []);
  // Escape with the focus lost to the page (a control that went away under it) still closes.
  useEffect(() => {
    const onPageKey = (e: KeyboardEvent): void => {
      if (e.key === "Escape" && (document.activeElement === document.body
                                 || document.activeElement === null)) onClose();
    };
    document.addEventListener("keydown", onPageKey);
    return () => document.removeEventListener("keydown", onPageKey);
  }, [onClose]);
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === "Escape") {
      e.stopPropagation();
      onClose();
      return;
    }
    keepTabInside(e, box.current);
  };
  return (
    <div class="backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div class={`dialog${wide ? " dialog-wide" : ""}`} role="dialog" aria-modal="true"
        aria-labelledby="dialog-title" ref={box} onKeyDown={onKey}>
        <h2 id="dialog-title" class="dialog-title">{title}</h2>
        <div class="dialog-body">{children}</div>
        {footer ? <div class="dialog-footer">{footer}</div> : null}
      </div>
    </div>
  );
}
