// Glue for the review pages: the signed-in session and API, navigation, and the player's time.
import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { AgentInfo } from "../../protocol.gen";
import type { ReviewApi, ReviewSession } from "../api";
import type { Engine, PlayerState } from "../player/engine";

export interface ReviewContext {
  api: ReviewApi;
  session: ReviewSession;
  me: AgentInfo;
  /** Goes to an address under /review/ (history.pushState). */
  navigate(href: string, replace?: boolean): void;
}

export const Ctx = createContext<ReviewContext | null>(null);

export function useReview(): ReviewContext {
  const c = useContext(Ctx);
  if (!c) throw new Error("no review context");
  return c;
}

export const isReviewer = (me: AgentInfo): boolean =>
  me.role === "supervisor" || me.role === "admin" || me.role === "trainer";
export const isSupervisor = (me: AgentInfo): boolean =>
  me.role === "supervisor" || me.role === "admin";
export const isAdmin = (me: AgentInfo): boolean => me.role === "admin";

/** A value derived from the player's state; the component re-renders only when it changes. */
export function usePlayer<T>(engine: Engine, select: (s: PlayerState) => T): T {
  const pick = useRef(select);
  pick.current = select;
  const [value, setValue] = useState(() => select(engine.current));
  useEffect(() => {
    setValue(pick.current(engine.current));
    return engine.subscribe((s) => setValue(pick.current(s)));
  }, [engine]);
  return value;
}

/** A link inside the review player (a real <a>, opened in place). */
export function onLinkClick(navigate: (href: string) => void) {
  return (e: MouseEvent): void => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.currentTarget as HTMLAnchorElement;
    e.preventDefault();
    navigate(a.getAttribute("href") ?? "/review/");
  };
}

/** After a row was added or removed: focuses what `selector` names in the same form once the
 * next render is in (the button pressed may be gone). */
export function focusLater(from: EventTarget | null, selector: string): void {
  const form = (from as HTMLElement | null)?.closest("form");
  setTimeout(() => form?.querySelector<HTMLElement>(selector)?.focus(), 0);
}
