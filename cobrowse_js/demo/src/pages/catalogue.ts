// index.html: the product grid with a search box, a category filter and a sort menu.
import { artworkElement } from "../artwork";
import { addToCart } from "../cart";
import { CATEGORIES, formatPrice, PRODUCTS, productUrl, type Product } from "../catalogue";
import { byId, h } from "../dom";
import { sortMenu } from "../sort-menu";
import { showToast } from "../toast";

type SortKey = "featured" | "price-asc" | "price-desc" | "name";

const SORTS = [
  { value: "featured", label: "Featured" },
  { value: "price-asc", label: "Price: low to high" },
  { value: "price-desc", label: "Price: high to low" },
  { value: "name", label: "Name: A to Z" },
] as const satisfies readonly { value: SortKey; label: string }[];

const COMPARE: Record<SortKey, (a: Product, b: Product) => number> = {
  featured: (a, b) => a.featured - b.featured,
  "price-asc": (a, b) => a.price - b.price || a.featured - b.featured,
  "price-desc": (a, b) => b.price - a.price || a.featured - b.featured,
  name: (a, b) => a.name.localeCompare(b.name),
};

const grid = byId<HTMLUListElement>("product-grid");
const search = byId<HTMLInputElement>("search");
const category = byId<HTMLSelectElement>("category");
const resultCount = byId("result-count");
let sort: SortKey = "featured";

function matches(product: Product, query: string, cat: string): boolean {
  if (cat && product.category !== cat) return false;
  if (!query) return true;
  const haystack = `${product.name} ${product.blurb} ${product.category}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

function card(product: Product): HTMLLIElement {
  const colour = product.colours[0]!;
  return h(
    "li",
    { class: "product-card", "data-testid": "product-card", "data-product-id": product.id },
    h(
      "a",
      { class: "product-card-link", href: productUrl(product) },
      artworkElement(product, colour, "front", "product-card-art"),
      h("h2", { class: "product-card-name" }, product.name),
    ),
    h("p", { class: "product-card-blurb" }, product.blurb),
    h(
      "div",
      { class: "product-card-footer" },
      h("p", { class: "product-card-price", "data-testid": "product-price" }, formatPrice(product.price)),
      h(
        "button",
        {
          type: "button",
          class: "button button-small",
          "data-testid": "add-to-cart",
          "data-product-id": product.id,
          on: {
            click: () => {
              addToCart(product.id, product.defaultSize, colour.name, 1);
              showToast(`Added ${product.name} (${product.defaultSize}, ${colour.name}) to your cart`);
            },
          },
        },
        "Add ",
        h("span", { class: "visually-hidden" }, `${product.name} `),
        "to cart",
      ),
    ),
  );
}

function render(): void {
  const query = search.value.trim();
  const shown = PRODUCTS.filter((p) => matches(p, query, category.value)).sort(COMPARE[sort]);
  grid.replaceChildren(...shown.map(card));
  resultCount.textContent =
    shown.length === 0
      ? "No products match your search."
      : `${shown.length} ${shown.length === 1 ? "product" : "products"}`;
  byId("no-results").hidden = shown.length > 0;
}

for (const cat of CATEGORIES) category.append(h("option", { value: cat }, cat));
const params = new URLSearchParams(location.search);
search.value = params.get("q") ?? "";
const wantedCategory = params.get("category");
if (wantedCategory && (CATEGORIES as readonly string[]).includes(wantedCategory)) {
  category.value = wantedCategory;
}

search.addEventListener("input", render);
category.addEventListener("change", render);
byId<HTMLFormElement>("catalogue-filters").addEventListener("submit", (e) => e.preventDefault());
byId("clear-filters").addEventListener("click", () => {
  search.value = "";
  category.value = "";
  render();
  search.focus();
});
sortMenu(byId<HTMLButtonElement>("sort-button"), byId("sort-menu"), SORTS, sort, (value) => {
  sort = value;
  render();
});
render();
