// The checkout form: a Preact app whose inputs are all controlled by its state, like the React
// checkouts co-browsing has to drive. Every change goes through `update`, which also publishes
// the new state synchronously for window.__demoCheckout.
import { useEffect, useRef, useState } from "preact/hooks";
import { clearCart, onCartChange, priceLines, readCart } from "../../cart";
import { formatPrice, ONE_SIZE } from "../../catalogue";
import { fitToContent } from "../../frames";
import { newOrderNumber, saveOrder } from "../../orders";
import { applyFormatted, formatCardNumber, formatCvc, formatExpiry } from "./card";
import { SelectField, TextAreaField, TextField } from "./fields";
import {
  COUNTRIES,
  countryName,
  DELIVERY_OPTIONS,
  deliveryPrice,
  today,
  validate,
  type CheckoutState,
  type Delivery,
  type ErrorKey,
  type FieldName,
} from "./state";
import { Confirmation, OrderSummary, totalsOf } from "./summary";

/** Which DOM id each field has: the error summary links to them. */
const FIELD_IDS: Record<FieldName, string> = {
  name: "full-name",
  email: "email",
  phone: "phone",
  address1: "address-line1",
  address2: "address-line2",
  city: "city",
  postcode: "postcode",
  country: "country",
  giftNote: "gift-note",
  deliveryDate: "delivery-date",
  cardNumber: "card-number",
  cardExpiry: "card-expiry",
  cardCvc: "card-cvc",
  cardName: "card-name",
};

const ERROR_ORDER: readonly ErrorKey[] = ["cart", ...(Object.keys(FIELD_IDS) as FieldName[])];

const GIFT_NOTE_MAX = 200;

export interface CheckoutAppProps {
  initial: CheckoutState;
  onState: (state: CheckoutState) => void;
}

export function CheckoutApp({ initial, onState }: CheckoutAppProps) {
  const [state, setState] = useState(initial);
  const latest = useRef(initial);
  const errorSummary = useRef<HTMLDivElement>(null);
  const paymentFrame = useRef<HTMLIFrameElement>(null);
  const [focusErrors, setFocusErrors] = useState(0);

  const update = (change: (s: CheckoutState) => CheckoutState): void => {
    const next = change(latest.current);
    if (next === latest.current) return;
    latest.current = next;
    onState(next);
    setState(next);
  };

  /** After a first "Place order", errors follow the shopper's corrections as they type. */
  const revalidated = (s: CheckoutState): CheckoutState => (s.attempted ? { ...s, errors: validate(s) } : s);

  const setField = (name: FieldName, value: string): void =>
    update((s) => revalidated({ ...s, fields: { ...s.fields, [name]: value } }));

  // Another tab (or the cart page in this one) changed the cart.
  useEffect(
    () =>
      onCartChange(() =>
        update((s) => (s.status === "editing" ? revalidated({ ...s, lines: readCart() }) : s)),
      ),
    [],
  );

  const placed = state.status === "placed";
  useEffect(() => (paymentFrame.current ? fitToContent(paymentFrame.current) : undefined), [placed]);

  useEffect(() => {
    if (focusErrors > 0) errorSummary.current?.focus();
  }, [focusErrors]);

  if (state.status === "placed" && state.order) return <Confirmation order={state.order} />;

  const { fields, errors } = state;
  const totals = totalsOf(state);

  const placeOrder = (e: Event): void => {
    e.preventDefault();
    const current = latest.current;
    const found = validate(current);
    if (Object.keys(found).length > 0) {
      update((s) => ({ ...s, attempted: true, errors: found }));
      setFocusErrors((n) => n + 1);
      return;
    }
    const number = newOrderNumber();
    const f = current.fields;
    const total = totalsOf(current).total;
    saveOrder({
      number,
      placedAt: new Date().toISOString(),
      items: priceLines(current.lines).map((l) => ({
        name: l.product.name,
        options: l.size === ONE_SIZE ? l.colour : `${l.size} · ${l.colour}`,
        qty: l.qty,
      })),
      total,
      status: "Processing",
      shipTo: [f.name, f.address1, f.address2, `${f.city} ${f.postcode}`, countryName(f.country)]
        .map((p) => p.trim())
        .filter(Boolean)
        .join(", "),
      email: f.email.trim(),
    });
    update((s) => ({
      ...s,
      status: "placed",
      errors: {},
      order: {
        number,
        email: f.email.trim(),
        firstName: f.name.trim().split(/\s+/)[0] ?? "",
        total,
        delivery: s.delivery,
      },
    }));
    clearCart();
  };

  const errorKeys = ERROR_ORDER.filter((k) => errors[k]);

  return (
    <>
      <h1 class="page-title">Checkout</h1>
      <div class="checkout-layout">
        <form class="checkout-form" id="checkout-form" noValidate onSubmit={placeOrder} data-testid="checkout-form">
          <input type="hidden" name="order_token" id="order-token" value={state.orderToken} data-testid="order-token" />

          {errorKeys.length > 0 && (
            <div class="error-summary" role="alert" tabIndex={-1} ref={errorSummary} data-testid="error-summary">
              <h2>
                {errorKeys.length === 1 ? "There is a problem" : `There are ${errorKeys.length} problems`}
              </h2>
              <ul>
                {errorKeys.map((k) => (
                  <li key={k}>
                    {k === "cart" ? (
                      <a href="/demo/">{errors.cart}</a>
                    ) : (
                      <a
                        href={`#${FIELD_IDS[k]}`}
                        onClick={(ev) => {
                          ev.preventDefault();
                          document.getElementById(FIELD_IDS[k])?.focus();
                        }}
                      >
                        {errors[k]}
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}

          <section class="form-section" aria-labelledby="contact-heading">
            <h2 id="contact-heading">Contact</h2>
            <TextField id="full-name" name="name" label="Full name" autocomplete="name" value={fields.name}
              error={errors.name} onValue={(v) => setField("name", v)} />
            <div class="field-row">
              <TextField id="email" name="email" type="email" label="Email" autocomplete="email" inputmode="email"
                placeholder="you@example.com" hint="We send your receipt here." value={fields.email}
                error={errors.email} onValue={(v) => setField("email", v)} />
              <TextField id="phone" name="tel" type="tel" label="Phone" autocomplete="tel" inputmode="tel" optional
                hint="Only for delivery questions." value={fields.phone} error={errors.phone}
                onValue={(v) => setField("phone", v)} />
            </div>
            <div class="field-check">
              <input id="newsletter" name="newsletter" type="checkbox" checked={state.newsletter}
                onChange={(e) => {
                  const checked = e.currentTarget.checked;
                  update((s) => ({ ...s, newsletter: checked }));
                }} />
              <label for="newsletter">Email me about new products and offers</label>
            </div>
          </section>

          <section class="form-section" aria-labelledby="address-heading">
            <h2 id="address-heading">{state.delivery === "pickup" ? "Billing address" : "Shipping address"}</h2>
            <TextField id="address-line1" name="address-line1" label="Address line 1" autocomplete="address-line1"
              value={fields.address1} error={errors.address1} onValue={(v) => setField("address1", v)} />
            <TextField id="address-line2" name="address-line2" label="Address line 2" autocomplete="address-line2"
              optional value={fields.address2} error={errors.address2} onValue={(v) => setField("address2", v)} />
            <div class="field-row">
              <TextField id="city" name="city" label="Town or city" autocomplete="address-level2" value={fields.city}
                error={errors.city} onValue={(v) => setField("city", v)} />
              <TextField id="postcode" name="postcode" label="Postcode" autocomplete="postal-code"
                className="field-narrow" value={fields.postcode} error={errors.postcode}
                onValue={(v) => setField("postcode", v.toUpperCase())} />
            </div>
            <SelectField id="country" name="country" label="Country" autocomplete="country" value={fields.country}
              options={COUNTRIES} onValue={(v) => setField("country", v)} />
          </section>

          <section class="form-section" aria-labelledby="delivery-heading">
            <h2 id="delivery-heading">Delivery</h2>
            <fieldset class="radio-cards">
              <legend class="visually-hidden">Delivery option</legend>
              {DELIVERY_OPTIONS.map((o) => {
                const price = deliveryPrice(o.id, totals.subtotal);
                return (
                  <div class={`radio-card${state.delivery === o.id ? " is-checked" : ""}`} key={o.id}>
                    <input type="radio" id={`delivery-${o.id}`} name="delivery" value={o.id}
                      checked={state.delivery === o.id}
                      onChange={(e) => {
                        const value = e.currentTarget.value as Delivery;
                        update((s) => revalidated({ ...s, delivery: value }));
                      }} />
                    <label for={`delivery-${o.id}`}>
                      <span class="radio-card-title">{o.label}</span>
                      <span class="radio-card-detail">{o.detail}</span>
                      <span class="radio-card-price">{price === 0 ? "Free" : formatPrice(price)}</span>
                    </label>
                  </div>
                );
              })}
            </fieldset>
            <TextField id="delivery-date" name="delivery-date" type="date" label="Preferred delivery day" optional
              min={today()} className="field-narrow" value={fields.deliveryDate} error={errors.deliveryDate}
              onValue={(v) => setField("deliveryDate", v)} />
            <TextAreaField id="gift-note" name="gift-note" label="Gift note" maxLength={GIFT_NOTE_MAX}
              hint="Printed on the packing slip, without prices." value={fields.giftNote}
              onValue={(v) => setField("giftNote", v)} />
          </section>

          <section class="form-section" aria-labelledby="payment-heading">
            <h2 id="payment-heading">Payment</h2>
            <div class="alt-payment">
              <p class="alt-payment-title">Express checkout</p>
              <iframe src="/demo/payment-frame.html" class="payment-frame" title="Pay with DemoPay" data-aisle-block
                data-testid="payment-frame" ref={paymentFrame} />
            </div>
            <p class="divider"><span>or pay by card</span></p>
            <TextField id="card-number" name="cardnumber" label="Card number" autocomplete="cc-number"
              inputmode="numeric" placeholder="1234 1234 1234 1234" value={fields.cardNumber}
              error={errors.cardNumber}
              onValue={(v, input) => {
                const formatted = formatCardNumber(v);
                applyFormatted(input, formatted);
                setField("cardNumber", formatted);
              }} />
            <div class="field-row">
              <TextField id="card-expiry" name="cc-exp" label="Expiry date" autocomplete="cc-exp" inputmode="numeric"
                placeholder="MM / YY" hint="For example, 04 / 29." className="field-narrow" value={fields.cardExpiry} error={errors.cardExpiry}
                onValue={(v, input) => {
                  const formatted = formatExpiry(v);
                  applyFormatted(input, formatted);
                  setField("cardExpiry", formatted);
                }} />
              <TextField id="card-cvc" name="cvc" label="Security code" autocomplete="cc-csc" inputmode="numeric"
                hint="3 or 4 digits on the back." className="field-narrow" value={fields.cardCvc}
                error={errors.cardCvc}
                onValue={(v, input) => {
                  const formatted = formatCvc(v);
                  applyFormatted(input, formatted);
                  setField("cardCvc", formatted);
                }} />
            </div>
            <TextField id="card-name" name="ccname" label="Name on card" autocomplete="cc-name" value={fields.cardName}
              error={errors.cardName} onValue={(v) => setField("cardName", v)} />
            <p class="hint demo-hint">
              Demo store: use card 4242 4242 4242 4242, any future expiry date and any 3 digits. Nothing is charged.
            </p>
          </section>

          <button type="submit" id="place-order" class="button button-primary button-wide button-large"
            data-testid="place-order">
            Place order · {formatPrice(totals.total)}
          </button>
        </form>
        <OrderSummary state={state} />
      </div>
    </>
  );
}
