// checkout.html entry: mounts the Preact checkout and exposes a read-only view of its state to
// tests as window.__demoCheckout.getState().
import { render } from "preact";
import { readCart } from "../../cart";
import { byId } from "../../dom";
import { CheckoutApp } from "./app";
import { emptyFields, newOrderToken, type CheckoutState } from "./state";
import { totalsOf, type Totals } from "./summary";

export interface CheckoutSnapshot extends CheckoutState {
  totals: Totals;
}

export interface DemoCheckoutApi {
  /** A deep-frozen copy of the checkout's current state (updated synchronously on each change). */
  getState(): CheckoutSnapshot;
}

declare global {
  interface Window {
    __demoCheckout?: DemoCheckoutApi;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

let current: CheckoutState = {
  status: "editing",
  fields: emptyFields(),
  delivery: "standard",
  newsletter: false,
  orderToken: newOrderToken(),
  lines: readCart(),
  attempted: false,
  errors: {},
  order: null,
};

window.__demoCheckout = Object.freeze({
  getState(): CheckoutSnapshot {
    const copy = JSON.parse(JSON.stringify(current)) as CheckoutState;
    return deepFreeze({ ...copy, totals: totalsOf(copy) });
  },
});

const root = byId("checkout-root");
root.replaceChildren();
render(
  <CheckoutApp
    initial={current}
    onState={(state) => {
      current = state;
    }}
  />,
  root,
);
