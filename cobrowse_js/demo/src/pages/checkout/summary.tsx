// The live order summary beside the form. It deliberately ECHOES what the shopper typed (the
// address, the receipt email, the card's last four digits): text that input masking alone misses.
import { useEffect, useRef } from "preact/hooks";
import { priceLines, subtotal } from "../../cart";
import { formatPrice, ONE_SIZE } from "../../catalogue";
import { digitsOf } from "./card";
import { countryName, DELIVERY_OPTIONS, deliveryPrice, type CheckoutState, type PlacedOrder } from "./state";

export interface Totals {
  subtotal: number;
  delivery: number;
  total: number;
}

export function totalsOf(state: Pick<CheckoutState, "lines" | "delivery">): Totals {
  const sub = subtotal(priceLines(state.lines));
  const delivery = state.lines.length > 0 ? deliveryPrice(state.delivery, sub) : 0;
  return { subtotal: sub, delivery, total: sub + delivery };
}

const longDate = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long" });

function addressLines(state: CheckoutState): string[] {
  const f = state.fields;
  if (![f.address1, f.address2, f.city, f.postcode].some((v) => v.trim())) return [];
  return [f.name, f.address1, f.address2, `${f.city} ${f.postcode}`, countryName(f.country)]
    .map((l) => l.trim())
    .filter(Boolean);
}

export function OrderSummary({ state }: { state: CheckoutState }) {
  const lines = priceLines(state.lines);
  const totals = totalsOf(state);
  const option = DELIVERY_OPTIONS.find((o) => o.id === state.delivery)!;
  const address = addressLines(state);
  const cardDigits = digitsOf(state.fields.cardNumber);
  const email = state.fields.email.trim();
  const giftNote = state.fields.giftNote.trim();
  const date = state.fields.deliveryDate ? new Date(`${state.fields.deliveryDate}T12:00:00`) : null;

  return (
    <aside class="summary-card order-summary" aria-labelledby="order-summary-heading" data-testid="order-summary">
      <h2 id="order-summary-heading">Order summary</h2>
      {lines.length === 0 ? (
        <p class="muted" data-testid="summary-empty">
          Your cart is empty. <a href="/demo/">Browse the shop</a>
        </p>
      ) : (
        <ul class="summary-lines" data-testid="summary-lines">
          {lines.map((l) => (
            <li key={l.key}>
              <span>
                {l.product.name} <span class="muted">× {l.qty}</span>
                <span class="muted small block">{l.size === ONE_SIZE ? l.colour : `${l.size} · ${l.colour}`}</span>
              </span>
              <span>{formatPrice(l.total)}</span>
            </li>
          ))}
        </ul>
      )}
      <dl class="totals">
        <dt>Subtotal</dt>
        <dd data-testid="summary-subtotal">{formatPrice(totals.subtotal)}</dd>
        <dt>Delivery</dt>
        <dd data-testid="summary-delivery-price">{totals.delivery === 0 ? "Free" : formatPrice(totals.delivery)}</dd>
        <dt class="grand">Total</dt>
        <dd class="grand" data-testid="summary-total">
          {formatPrice(totals.total)}
        </dd>
      </dl>
      <div class="echo" data-testid="summary-echo">
        <h3>Delivery</h3>
        <p data-testid="summary-delivery">
          {option.label} — {option.detail}
          {date && !Number.isNaN(date.getTime()) && <span class="block">Preferred day: {longDate.format(date)}</span>}
        </p>
        <h3>{state.delivery === "pickup" ? "Billing address" : "Shipping to"}</h3>
        <p data-testid="summary-address">
          {address.length > 0 ? (
            address.map((line, i) => (
              <span class="block" key={i}>
                {line}
              </span>
            ))
          ) : (
            <span class="muted">Your address will appear here.</span>
          )}
        </p>
        {email && <p data-testid="summary-email">Receipt goes to {email}</p>}
        {cardDigits.length >= 12 && <p data-testid="summary-card">Card ending in {cardDigits.slice(-4)}</p>}
        {giftNote && <p data-testid="summary-gift-note">Gift note: “{giftNote}”</p>}
      </div>
    </aside>
  );
}

export function Confirmation({ order }: { order: PlacedOrder }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    window.scrollTo(0, 0);
    heading.current?.focus();
  }, []);
  const option = DELIVERY_OPTIONS.find((o) => o.id === order.delivery)!;
  return (
    <section class="confirmation" data-testid="order-confirmation" aria-labelledby="confirmation-heading">
      <div class="confirmation-icon" aria-hidden="true">✓</div>
      <h1 id="confirmation-heading" tabIndex={-1} ref={heading}>
        Thank you{order.firstName ? `, ${order.firstName}` : ""}!
      </h1>
      <p class="lead">
        Your order <strong data-testid="order-number">{order.number}</strong> is confirmed.
      </p>
      <p>
        A receipt goes to <strong>{order.email}</strong>. {option.label}: {option.detail.toLowerCase()}.
      </p>
      <p>
        Total paid: <strong data-testid="order-total">{formatPrice(order.total)}</strong> (demo store: nothing was charged).
      </p>
      <p class="actions">
        <a class="button button-primary" href="/demo/">
          Continue shopping
        </a>
        <a class="button" href="/demo/account.html">
          See my orders
        </a>
      </p>
    </section>
  );
}
