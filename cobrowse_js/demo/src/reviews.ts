// <demo-reviews product="…">: the product reviews, rendered inside an OPEN shadow root with
// constructable stylesheets (adoptedStyleSheets), plus a small "write a review" form, so the
// co-browse recorder has shadow-DOM text and inputs to capture and mask.
import { findProduct } from "./catalogue";
import { adoptStyles } from "./shadow-styles";

interface Review {
  readonly author: string;
  readonly rating: number;
  readonly title: string;
  readonly text: string;
  readonly date: string;
}

const POOL: readonly Review[] = [
  { author: "Priya", rating: 5, title: "Exactly as pictured", text: "Great quality and arrived in two days. I've already ordered another colour.", date: "2025-02-14" },
  { author: "Tom", rating: 4, title: "Solid, runs slightly large", text: "Really well made. I'd size down if you're between sizes.", date: "2025-01-30" },
  { author: "Marta", rating: 5, title: "My new favourite", text: "Use it every day. Washes well and still looks new.", date: "2024-12-03" },
  { author: "Kofi", rating: 3, title: "Nice, colour a bit darker", text: "Good product, but the colour is a shade darker than on my screen.", date: "2024-11-21" },
  { author: "Lena", rating: 5, title: "Gift hit", text: "Bought it as a present and it went down very well. Lovely packaging too.", date: "2024-10-09" },
];

/** Three reviews per product, picked deterministically so every visit shows the same ones. */
function seededReviews(productId: string): Review[] {
  let seed = 0;
  for (const ch of productId) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
  return [0, 1, 2].map((i) => POOL[(seed + i) % POOL.length]!);
}

const CSS = `
:host { display: block; color: var(--text, #1c1917); font: inherit; }
* { box-sizing: border-box; }
.summary { display: flex; align-items: baseline; gap: .75rem; margin: 0 0 1rem; }
.average { font-size: 2rem; font-weight: 700; }
.stars { color: #b45309; letter-spacing: .1em; }
ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem; }
li { padding: 1rem 1.25rem; border: 1px solid var(--border, #e7e5e4); border-radius: 12px; background: var(--surface, #fff); }
h3 { margin: .25rem 0; font-size: 1rem; }
p { margin: .25rem 0; line-height: 1.5; }
.by { color: var(--muted, #57534e); font-size: .875rem; }
form { margin-top: 1.5rem; padding: 1.25rem; border-radius: 12px; background: var(--surface-alt, #f5f5f4); display: grid; gap: .75rem; }
h3.form-title { font-size: 1.05rem; margin: 0; }
label { display: block; font-weight: 600; font-size: .9rem; margin-bottom: .3rem; }
input, select, textarea { width: 100%; font: inherit; padding: .6rem .75rem; border: 1px solid var(--border-strong, #a8a29e); border-radius: 8px; background: #fff; color: inherit; min-height: 44px; }
textarea { min-height: 6rem; resize: vertical; }
.row { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 12rem), 1fr)); }
button { justify-self: start; font: inherit; font-weight: 600; padding: .65rem 1.1rem; min-height: 44px; border: 0; border-radius: 999px; background: var(--accent, #0f766e); color: #fff; cursor: pointer; }
button:hover { background: var(--accent-hover, #115e59); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
:focus-visible { outline: 3px solid var(--focus, #2563eb); outline-offset: 2px; }
.status { color: var(--accent, #0f766e); font-weight: 600; min-height: 1.5em; }
.error { color: var(--danger, #b91c1c); }
`;

function stars(rating: number): string {
  return "★".repeat(rating) + "☆".repeat(5 - rating);
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric" });

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

class DemoReviews extends HTMLElement {
  static readonly observedAttributes = ["product"];
  private readonly root: ShadowRoot;
  /** Nodes every render keeps: the fallback <style>, when there is one. */
  private readonly kept: Node[];
  private added: Review[] = [];

  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
    this.kept = adoptStyles(this.root, CSS);
  }

  connectedCallback(): void {
    this.render();
  }

  attributeChangedCallback(): void {
    this.added = [];
    if (this.isConnected) this.render();
  }

  private reviews(): Review[] {
    return [...this.added, ...seededReviews(this.getAttribute("product") ?? "")];
  }

  private render(): void {
    const product = findProduct(this.getAttribute("product"));
    const reviews = this.reviews();
    const average = reviews.reduce((s, r) => s + r.rating, 0) / reviews.length;
    const rounded = Math.round(average);

    const summary = el(
      "p",
      { class: "summary" },
      el("span", { class: "average" }, average.toFixed(1)),
      el("span", { class: "stars", "aria-hidden": "true" }, stars(rounded)),
      el("span", { class: "sr-only" }, `Average rating ${average.toFixed(1)} out of 5,`),
      el("span", {}, `${reviews.length} reviews${product ? ` of ${product.name}` : ""}`),
    );
    const list = el(
      "ul",
      { "data-testid": "review-list" },
      ...reviews.map((r) =>
        el(
          "li",
          { class: "review", "data-testid": "review" },
          el(
            "p",
            { class: "stars" },
            el("span", { "aria-hidden": "true" }, stars(r.rating)),
            el("span", { class: "sr-only" }, `Rated ${r.rating} out of 5`),
          ),
          el("h3", {}, r.title),
          el("p", {}, r.text),
          el("p", { class: "by" }, `${r.author} · ${dateFormat.format(new Date(r.date))}`),
        ),
      ),
    );
    this.root.replaceChildren(...this.kept, summary, list, this.form());
  }

  private form(): HTMLFormElement {
    const rating = el(
      "select",
      { id: "review-rating", name: "rating" },
      ...[5, 4, 3, 2, 1].map((n) => el("option", { value: String(n) }, `${n} ${n === 1 ? "star" : "stars"}`)),
    );
    const author = el("input", { id: "review-name", name: "name", autocomplete: "given-name", required: "" });
    const text = el("textarea", { id: "review-text", name: "text", required: "" });
    const status = el("p", { class: "status", role: "status", "data-testid": "review-status" });
    const form = el(
      "form",
      { "data-testid": "review-form", novalidate: "" },
      el("h3", { class: "form-title" }, "Write a review"),
      el(
        "div",
        { class: "row" },
        el("div", {}, el("label", { for: "review-name" }, "Your first name"), author),
        el("div", {}, el("label", { for: "review-rating" }, "Rating"), rating),
      ),
      el("div", {}, el("label", { for: "review-text" }, "Your review"), text),
      el("button", { type: "submit" }, "Post review"),
      status,
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!author.value.trim() || !text.value.trim()) {
        status.className = "status error";
        status.textContent = "Please add your name and a few words.";
        return;
      }
      this.added.unshift({
        author: author.value.trim(),
        rating: Number(rating.value),
        title: "New review",
        text: text.value.trim(),
        date: new Date().toISOString().slice(0, 10),
      });
      this.render();
      const fresh = this.root.querySelector<HTMLElement>("[data-testid='review-status']");
      if (fresh) fresh.textContent = "Thanks! Your review is at the top of the list.";
    });
    return form;
  }
}

export function defineReviews(): void {
  if (!customElements.get("demo-reviews")) customElements.define("demo-reviews", DemoReviews);
}

declare global {
  interface HTMLElementTagNameMap {
    "demo-reviews": HTMLElement;
  }
}
