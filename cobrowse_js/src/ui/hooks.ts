// The controller's state as a Preact hook: components re-render when it changes.

import { useEffect, useReducer } from "preact/hooks";

import type { Controller } from "../controller";
import type { WidgetState } from "../state/widget";

export function useWidget(controller: Controller): WidgetState {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const stop = controller.subscribe(() => rerender(undefined));
    return () => {
      stop();
    };
  }, [controller]);
  return controller.state;
}
