// Loaded on every store page: keeps the header's cart count current, across tabs too, and
// shares the cart with the agents as a real store would (`Aisle.setContext`): the agent's
// visitor panel shows what is in it.
import { itemCount, onCartChange, priceLines, readCart, subtotal } from "./cart";
import { formatPrice } from "./catalogue";

function renderCount(): void {
  const count = itemCount(readCart());
  for (const el of document.querySelectorAll<HTMLElement>("[data-testid='cart-count']")) {
    el.textContent = String(count);
    el.dataset.count = String(count);
  }
}

interface AisleQueue {
  q?: unknown[];
  setContext?: (context: Record<string, unknown>) => void;
}

/** Through the widget's queue when it has not loaded yet (the tag is async). */
function shareCart(): void {
  const lines = priceLines(readCart());
  const context = {
    cart_items: itemCount(lines),
    cart_value: lines.length ? formatPrice(subtotal(lines)) : null,
  };
  const w = window as unknown as { Aisle?: AisleQueue };
  if (w.Aisle?.setContext) {
    w.Aisle.setContext(context);
    return;
  }
  w.Aisle = w.Aisle ?? { q: [] };
  (w.Aisle.q = w.Aisle.q ?? []).push(["setContext", context]);
}

renderCount();
shareCart();
onCartChange(() => {
  renderCount();
  shareCart();
});
