// Glue between the controller's store and Preact components.
import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import type { Controller } from "../console/controller";
import { type AppState, topicLabel } from "../state/app";

export const ControllerContext = createContext<Controller | null>(null);

export function useController(): Controller {
  const c = useContext(ControllerContext);
  if (!c) throw new Error("no controller");
  return c;
}

/** The whole state; the component re-renders when it changes. */
export function useAppState(): AppState {
  const c = useController();
  const [state, setState] = useState(c.store.get());
  useEffect(() => {
    setState(c.store.get());
    return c.store.subscribe(() => setState(c.store.get()));
  }, [c]);
  return state;
}

/** The server's time now, refreshed every `everyMs` (for countdowns and waiting times). */
export function useServerNow(everyMs = 1000): number {
  const c = useController();
  const [now, setNow] = useState(c.clock.now());
  useEffect(() => {
    const t = setInterval(() => setNow(c.clock.now()), everyMs);
    return () => clearInterval(t);
  }, [c, everyMs]);
  return now;
}

/** What a conversation is about, by its topic's label (see state/app.ts `topicLabel`). */
export function useTopicLabel(): (c: { site_id: string; topic: string }) => string {
  const topics = useAppState().topics;
  return (c) => topicLabel(topics, c);
}
