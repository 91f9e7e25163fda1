// cart.html: the cart from localStorage; change quantities, remove lines, go to checkout.
import { artworkElement } from "../artwork";
import {
  MAX_QUANTITY,
  onCartChange,
  priceLines,
  readCart,
  removeLine,
  setQuantity,
  subtotal,
  itemCount,
  type PricedLine,
} from "../cart";
import { formatPrice, productUrl, ONE_SIZE } from "../catalogue";
import { byId, h } from "../dom";
import { showToast } from "../toast";

const root = byId("cart-root");
const heading = byId("cart-heading");

/** A DOM id derived from the line key, stable across re-renders so focus can be restored. */
function domId(prefix: string, line: PricedLine): string {
  return `${prefix}-${line.key.replace(/[^A-Za-z0-9_-]+/g, "-")}`;
}

function lineRow(line: PricedLine): HTMLLIElement {
  const colour = line.product.colours.find((c) => c.name === line.colour) ?? line.product.colours[0]!;
  const qtyId = domId("qty", line);
  const options = line.size === ONE_SIZE ? line.colour : `Size ${line.size} · ${line.colour}`;
  const qty = h("input", {
    id: qtyId,
    class: "cart-qty",
    type: "number",
    inputmode: "numeric",
    min: 1,
    max: MAX_QUANTITY,
    value: line.qty,
    "data-testid": "cart-qty",
  });
  qty.addEventListener("change", () => {
    const n = Number(qty.value);
    if (Number.isInteger(n) && n >= 1) setQuantity(line.key, n);
    else qty.value = String(line.qty); // nonsense typed: put the stored quantity back
  });
  return h(
    "li",
    { class: "cart-line", "data-testid": "cart-line", "data-line-key": line.key },
    h("a", { href: productUrl(line.product), class: "cart-line-art", tabindex: -1, "aria-hidden": "true" },
      artworkElement(line.product, colour, "front", "cart-art")),
    h(
      "div",
      { class: "cart-line-info" },
      h("h2", { class: "cart-line-name" }, h("a", { href: productUrl(line.product) }, line.product.name)),
      h("p", { class: "muted" }, options),
      h("p", { class: "muted" }, `${formatPrice(line.product.price)} each`),
    ),
    h(
      "div",
      { class: "cart-line-qty" },
      h("label", { for: qtyId }, "Qty", h("span", { class: "visually-hidden" }, ` for ${line.product.name}`)),
      qty,
    ),
    h("p", { class: "cart-line-total", "data-testid": "line-total" }, formatPrice(line.total)),
    h(
      "button",
      {
        type: "button",
        class: "button-link cart-remove",
        "data-testid": "remove-line",
        on: {
          click: () => {
            removeLine(line.key);
            showToast(`Removed ${line.product.name} from your cart`);
            heading.focus();
          },
        },
      },
      "Remove",
      h("span", { class: "visually-hidden" }, ` ${line.product.name}`),
    ),
  );
}

function render(): void {
  const focusedId = document.activeElement?.id;
  const lines = priceLines(readCart());
  if (lines.length === 0) {
    root.replaceChildren(
      h(
        "div",
        { class: "empty-state", "data-testid": "cart-empty" },
        h("p", {}, "Your cart is empty."),
        h("a", { class: "button button-primary", href: "/demo/" }, "Continue shopping"),
      ),
    );
    return;
  }
  const count = itemCount(lines);
  root.replaceChildren(
    h(
      "div",
      { class: "cart-layout" },
      h("ul", { class: "cart-lines", "data-testid": "cart-lines" }, ...lines.map(lineRow)),
      h(
        "aside",
        { class: "summary-card", "aria-labelledby": "cart-summary-heading" },
        h("h2", { id: "cart-summary-heading" }, "Summary"),
        h(
          "dl",
          { class: "totals" },
          h("dt", {}, `Subtotal (${count} ${count === 1 ? "item" : "items"})`),
          h("dd", { "data-testid": "cart-subtotal" }, formatPrice(subtotal(lines))),
        ),
        h("p", { class: "muted small" }, "Delivery is worked out at checkout — free on orders over £50."),
        h("a", { id: "checkout-link", class: "button button-primary button-wide", href: "/demo/checkout.html", "data-testid": "checkout-link" }, "Checkout"),
        h("a", { class: "button-link continue-link", href: "/demo/" }, "Continue shopping"),
      ),
    ),
  );
  if (focusedId) document.getElementById(focusedId)?.focus();
}

render();
onCartChange(render);
