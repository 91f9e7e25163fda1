// Loaded on every store page: keeps the header's cart count current, across tabs too.
import { itemCount, onCartChange, readCart } from "./cart";

function renderCount(): void {
  const count = itemCount(readCart());
  for (const el of document.querySelectorAll<HTMLElement>("[data-testid='cart-count']")) {
    el.textContent = String(count);
    el.dataset.count = String(count);
  }
}

renderCount();
onCartChange(renderCount);
