// The checkout's state and its validation. Pure functions; the Preact app owns the state.
import type { CartLine } from "../../cart";
import { expiryProblem, passesLuhn, digitsOf } from "./card";

export interface CheckoutFields {
  name: string;
  email: string;
  phone: string;
  address1: string;
  address2: string;
  city: string;
  postcode: string;
  country: string;
  giftNote: string;
  deliveryDate: string;
  cardNumber: string;
  cardExpiry: string;
  cardCvc: string;
  cardName: string;
}

export type FieldName = keyof CheckoutFields;
export type Delivery = "standard" | "express" | "pickup";
export type ErrorKey = FieldName | "cart";

export interface PlacedOrder {
  readonly number: string;
  readonly email: string;
  readonly firstName: string;
  /** Pence. */
  readonly total: number;
  readonly delivery: Delivery;
}

export interface CheckoutState {
  status: "editing" | "placed";
  fields: CheckoutFields;
  delivery: Delivery;
  newsletter: boolean;
  /** Sent with the order as a hidden input (the kind of value recorders forget to mask). */
  orderToken: string;
  lines: CartLine[];
  /** Set once "Place order" was pressed: from then on errors update as the shopper types. */
  attempted: boolean;
  errors: Partial<Record<ErrorKey, string>>;
  order: PlacedOrder | null;
}

export interface DeliveryOption {
  readonly id: Delivery;
  readonly label: string;
  readonly detail: string;
  /** Pence. */
  readonly price: number;
}

export const FREE_DELIVERY_FROM = 5000;

export const DELIVERY_OPTIONS: readonly DeliveryOption[] = [
  { id: "standard", label: "Standard delivery", detail: "3–5 working days · free over £50", price: 395 },
  { id: "express", label: "Express delivery", detail: "Next working day", price: 795 },
  { id: "pickup", label: "Collect from our shop", detail: "Harbour Street, Bristol · ready in 2 hours", price: 0 },
];

export const COUNTRIES: readonly (readonly [code: string, name: string])[] = [
  ["GB", "United Kingdom"],
  ["IE", "Ireland"],
  ["FR", "France"],
  ["DE", "Germany"],
  ["NL", "Netherlands"],
  ["ES", "Spain"],
  ["US", "United States"],
];

export function countryName(code: string): string {
  return COUNTRIES.find(([c]) => c === code)?.[1] ?? code;
}

export function deliveryPrice(delivery: Delivery, subtotal: number): number {
  const option = DELIVERY_OPTIONS.find((o) => o.id === delivery)!;
  return delivery === "standard" && subtotal >= FREE_DELIVERY_FROM ? 0 : option.price;
}

export function emptyFields(): CheckoutFields {
  return {
    name: "",
    email: "",
    phone: "",
    address1: "",
    address2: "",
    city: "",
    postcode: "",
    country: "GB",
    giftNote: "",
    deliveryDate: "",
    cardNumber: "",
    cardExpiry: "",
    cardCvc: "",
    cardName: "",
  };
}

export function newOrderToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `ot_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s()-]{7,20}$/;
const POSTCODE = /^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/;

/** "YYYY-MM-DD" of today in the shopper's time zone. */
export function today(now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function validate(state: Pick<CheckoutState, "fields" | "lines">): Partial<Record<ErrorKey, string>> {
  const f = state.fields;
  const errors: Partial<Record<ErrorKey, string>> = {};
  const required = (key: FieldName, message: string): void => {
    if (!f[key].trim()) errors[key] = message;
  };
  if (state.lines.length === 0) errors.cart = "Your cart is empty: add something before placing an order.";
  required("name", "Enter your full name.");
  if (!EMAIL.test(f.email.trim())) errors.email = "Enter an email address like name@example.com.";
  if (f.phone.trim() && !PHONE.test(f.phone.trim())) errors.phone = "Enter a phone number, or leave it empty.";
  required("address1", "Enter the first line of your address.");
  required("city", "Enter your town or city.");
  if (!POSTCODE.test(f.postcode.trim())) errors.postcode = "Enter your postcode.";
  if (f.deliveryDate && f.deliveryDate < today()) errors.deliveryDate = "Choose a date from today onwards.";
  if (!digitsOf(f.cardNumber)) errors.cardNumber = "Enter your card number.";
  else if (!passesLuhn(f.cardNumber)) errors.cardNumber = "This card number is not valid: check the digits.";
  const expiry = expiryProblem(f.cardExpiry);
  if (expiry) errors.cardExpiry = expiry;
  if (!/^\d{3,4}$/.test(f.cardCvc)) errors.cardCvc = "Enter the 3 or 4 digit security code.";
  required("cardName", "Enter the name as it appears on the card.");
  return errors;
}
