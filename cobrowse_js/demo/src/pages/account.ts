// account.html: a demo sign-in (any email and password) and the "My orders" list.
// Signed-in state lives in sessionStorage, or localStorage with "Keep me signed in".
import { formatPrice } from "../catalogue";
import { byId, h } from "../dom";
import { readPlacedOrders, SAMPLE_ORDERS, type OrderRecord } from "../orders";

const ACCOUNT_KEY = "aisle-demo:account:v1";
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const form = byId<HTMLFormElement>("signin-form");
const email = byId<HTMLInputElement>("signin-email");
const password = byId<HTMLInputElement>("signin-password");
const remember = byId<HTMLInputElement>("remember-me");
const formError = byId("signin-error");
const signedIn = byId("signed-in");
const ordersRoot = byId("orders-root");

function stores(): Storage[] {
  try {
    return [window.sessionStorage, window.localStorage];
  } catch {
    return [];
  }
}

function currentUser(): string | null {
  for (const s of stores()) {
    const value = s.getItem(ACCOUNT_KEY);
    if (value) return value;
  }
  return null;
}

function setUser(user: string | null, keep: boolean): void {
  const [session, local] = stores();
  session?.removeItem(ACCOUNT_KEY);
  local?.removeItem(ACCOUNT_KEY);
  if (user) (keep ? local : session)?.setItem(ACCOUNT_KEY, user);
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric" });

function orderItem(order: OrderRecord): HTMLLIElement {
  const count = order.items.reduce((n, i) => n + i.qty, 0);
  return h(
    "li",
    { class: "order", "data-testid": "order", "data-order-number": order.number },
    h(
      "div",
      { class: "order-head" },
      h("h3", {}, `Order ${order.number}`),
      h("span", { class: `badge badge-${order.status.toLowerCase()}` }, order.status),
    ),
    h(
      "p",
      { class: "muted" },
      `Placed ${dateFormat.format(new Date(order.placedAt))} · ${count} ${count === 1 ? "item" : "items"} · ${formatPrice(order.total)}`,
    ),
    h("ul", { class: "order-items" }, ...order.items.map((i) => h("li", {}, `${i.qty} × ${i.name} (${i.options})`))),
    h("p", { class: "small" }, `Delivered to ${order.shipTo}`),
  );
}

function initials(user: string): string {
  const local = user.split("@")[0] ?? user;
  const parts = local.split(/[._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts[1]?.[0] ?? "")).toUpperCase() || "?";
}

function render(): void {
  const user = currentUser();
  form.hidden = user !== null;
  signedIn.hidden = user === null;
  byId("signin-heading").textContent = user ? "Signed in" : "Sign in";
  if (!user) {
    ordersRoot.replaceChildren(h("p", { class: "muted", "data-testid": "orders-signed-out" }, "Sign in to see your orders."));
    return;
  }
  // The account chip repeats the email in attributes (title, aria-label) on purpose: attribute
  // text is something co-browse masking has to strip as well as text nodes.
  signedIn.replaceChildren(
    h(
      "div",
      { class: "account-chip" },
      h("span", { class: "avatar", title: user, "aria-hidden": "true", "data-testid": "account-avatar" }, initials(user)),
      h("p", {}, "Signed in as ", h("strong", { "data-testid": "signed-in-email" }, user)),
    ),
    h("button", { type: "button", id: "sign-out", class: "button", on: { click: signOut } }, "Sign out"),
  );
  const orders = [...readPlacedOrders(), ...SAMPLE_ORDERS];
  ordersRoot.replaceChildren(h("ul", { class: "orders", "data-testid": "order-list" }, ...orders.map(orderItem)));
}

function signOut(): void {
  setUser(null, false);
  render();
  email.focus();
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const problems: string[] = [];
  const value = email.value.trim();
  email.toggleAttribute("aria-invalid", !EMAIL.test(value));
  password.toggleAttribute("aria-invalid", password.value.length === 0);
  if (!EMAIL.test(value)) problems.push("Enter your email address.");
  if (password.value.length === 0) problems.push("Enter your password.");
  if (problems.length > 0) {
    formError.textContent = problems.join(" ");
    formError.hidden = false;
    (EMAIL.test(value) ? password : email).focus();
    return;
  }
  formError.hidden = true;
  password.value = ""; // the demo never keeps a password
  setUser(value, remember.checked);
  render();
  byId("orders-heading").focus();
});

render();
