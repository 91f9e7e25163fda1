// product.html?id=…: gallery, options, add to cart, reviews (open shadow root), a closed-shadow
// badge and the size guide in a same-origin iframe.
import { artworkElement, VIEW_LABELS, viewsFor, type View } from "../artwork";
import { addToCart, MAX_QUANTITY } from "../cart";
import { findProduct, formatPrice, sizeOptions, type Colour, type Product } from "../catalogue";
import { byId, h } from "../dom";
import { fitToContent } from "../frames";
import { defineReviews } from "../reviews";
import { showToast } from "../toast";
import { defineTrustBadge } from "../trust-badge";

defineReviews();
defineTrustBadge();

const root = byId("product-root");

function notFound(): void {
  document.title = "Product not found — Harbour Goods";
  root.replaceChildren(
    h(
      "div",
      { class: "empty-state", "data-testid": "product-not-found" },
      h("h1", {}, "We couldn't find that product"),
      h("p", {}, "It may have sold out or the link may be mistyped."),
      h("a", { class: "button", href: "/demo/" }, "Back to the shop"),
    ),
  );
}

function gallery(product: Product, getColour: () => Colour): HTMLElement {
  const views = viewsFor(product);
  let current: View = "front";
  const main = h("div", { class: "gallery-main", "data-testid": "gallery-main", "data-view": current });
  const thumbs = views.map((view) =>
    h(
      "button",
      {
        type: "button",
        class: "gallery-thumb",
        "data-testid": "gallery-thumb",
        "data-view": view,
        "aria-pressed": String(view === current),
        on: {
          click: () => show(view),
          keydown: (e) => onThumbKey(e, view),
        },
      },
      h("span", { class: "visually-hidden" }, VIEW_LABELS[view]),
    ),
  );

  function drawMain(): void {
    const colour = getColour();
    main.replaceChildren(
      artworkElement(product, colour, current, "gallery-art", `${product.name} in ${colour.name}, ${VIEW_LABELS[current].toLowerCase()}`),
    );
    main.dataset.view = current;
  }

  function drawThumbs(): void {
    const colour = getColour();
    thumbs.forEach((thumb, i) => {
      const view = views[i]!;
      thumb.querySelector(".gallery-thumb-art")?.remove();
      thumb.prepend(artworkElement(product, colour, view, "gallery-thumb-art"));
      thumb.setAttribute("aria-pressed", String(view === current));
    });
  }

  function show(view: View): void {
    current = view;
    drawMain();
    drawThumbs();
  }

  function onThumbKey(e: KeyboardEvent, view: View): void {
    const i = views.indexOf(view);
    const target =
      e.key === "ArrowRight" || e.key === "ArrowDown"
        ? (i + 1) % views.length
        : e.key === "ArrowLeft" || e.key === "ArrowUp"
          ? (i - 1 + views.length) % views.length
          : e.key === "Home"
            ? 0
            : e.key === "End"
              ? views.length - 1
              : -1;
    if (target < 0) return;
    e.preventDefault();
    show(views[target]!);
    thumbs[target]?.focus();
  }

  show(current);
  const section = h(
    "section",
    { class: "gallery", "aria-label": "Product images" },
    main,
    h("div", { class: "gallery-thumbs", role: "group", "aria-label": "Choose an image" }, ...thumbs),
  );
  // Re-draw in the newly chosen colour.
  section.addEventListener("demo:colour", () => show(current));
  return section;
}

function optionsForm(product: Product, onColour: (colour: Colour) => void): HTMLFormElement {
  const sizes = sizeOptions(product);
  const size = h(
    "select",
    { id: "size", name: "size", "data-testid": "size", disabled: sizes.length === 1 },
    ...sizes.map((s) => h("option", { value: s, selected: s === product.defaultSize }, s)),
  );
  const colour = h(
    "select",
    { id: "colour", name: "colour", "data-testid": "colour" },
    ...product.colours.map((c) => h("option", { value: c.name }, c.name)),
  );
  const quantity = h("input", {
    id: "quantity",
    name: "quantity",
    type: "number",
    inputmode: "numeric",
    min: 1,
    max: MAX_QUANTITY,
    value: 1,
    required: true,
    "data-testid": "quantity",
  });
  const error = h("p", { id: "quantity-error", class: "field-error", hidden: true });
  colour.addEventListener("change", () => {
    const chosen = product.colours.find((c) => c.name === colour.value);
    if (chosen) onColour(chosen);
  });

  const form = h(
    "form",
    { id: "add-form", class: "add-form", novalidate: true },
    h(
      "div",
      { class: "field-row" },
      h("div", { class: "field" }, h("label", { for: "size" }, "Size"), size),
      h("div", { class: "field" }, h("label", { for: "colour" }, "Colour"), colour),
      h("div", { class: "field field-narrow" }, h("label", { for: "quantity" }, "Quantity"), quantity),
    ),
    error,
    h("button", { type: "submit", id: "add-to-cart", class: "button button-primary button-wide", "data-testid": "add-to-cart" }, "Add to cart"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const qty = Number(quantity.value);
    if (!Number.isInteger(qty) || qty < 1 || qty > MAX_QUANTITY) {
      error.textContent = `Choose a quantity from 1 to ${MAX_QUANTITY}.`;
      error.hidden = false;
      quantity.setAttribute("aria-invalid", "true");
      quantity.setAttribute("aria-describedby", "quantity-error");
      quantity.focus();
      return;
    }
    error.hidden = true;
    quantity.removeAttribute("aria-invalid");
    quantity.removeAttribute("aria-describedby");
    addToCart(product.id, size.value, colour.value, qty);
    const what = sizes.length > 1 ? `${size.value}, ${colour.value}` : colour.value;
    showToast(`Added ${qty} × ${product.name} (${what}) to your cart`);
  });
  return form;
}

function sizeGuide(product: Product): HTMLElement | null {
  if (!product.sizeChart) return null;
  const frame = h("iframe", {
    src: `/demo/size-guide.html?chart=${product.sizeChart}`,
    title: "Size guide",
    class: "size-guide-frame",
    "data-testid": "size-guide-frame",
  });
  fitToContent(frame);
  return h(
    "section",
    { class: "product-section", id: "size-guide", "aria-labelledby": "size-guide-heading" },
    h("h2", { id: "size-guide-heading" }, "Size guide"),
    frame,
  );
}

function render(product: Product): void {
  document.title = `${product.name} — Harbour Goods`;
  let colour = product.colours[0]!;
  const gallerySection = gallery(product, () => colour);
  const info = h(
    "section",
    { class: "product-info", "aria-labelledby": "product-name" },
    h("p", { class: "eyebrow" }, product.category),
    h("h1", { id: "product-name", "data-testid": "product-name" }, product.name),
    h("p", { class: "product-price", "data-testid": "product-price" }, formatPrice(product.price)),
    h("p", { class: "product-description" }, product.description),
    optionsForm(product, (chosen) => {
      colour = chosen;
      gallerySection.dispatchEvent(new CustomEvent("demo:colour"));
    }),
    h("demo-trust-badge", { "data-testid": "trust-badge" }),
  );
  const guide = sizeGuide(product);
  root.replaceChildren(
    h(
      "nav",
      { class: "breadcrumb", "aria-label": "Breadcrumb" },
      h(
        "ol",
        {},
        h("li", {}, h("a", { href: "/demo/" }, "Shop")),
        h("li", {}, h("a", { href: `/demo/?category=${encodeURIComponent(product.category)}` }, product.category)),
        h("li", { "aria-current": "page" }, product.name),
      ),
    ),
    h("div", { class: "product-layout" }, gallerySection, info),
    ...(guide ? [guide] : []),
    h(
      "section",
      { class: "product-section", id: "reviews", "aria-labelledby": "reviews-heading" },
      h("h2", { id: "reviews-heading" }, "Reviews"),
      h("demo-reviews", { product: product.id, "data-testid": "reviews" }),
    ),
  );
}

const product = findProduct(new URLSearchParams(location.search).get("id"));
if (product) render(product);
else notFound();
