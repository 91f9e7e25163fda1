// The cart, kept in localStorage so it survives navigation and is shared by tabs.
// Writers announce changes with CART_CHANGED; other tabs hear the `storage` event.
import { findProduct, sizeOptions, type Product } from "./catalogue";

const CART_KEY = "aisle-demo:cart:v1";
const CART_CHANGED = "aisle-demo:cart-changed";
export const MAX_QUANTITY = 10;

export interface CartLine {
  readonly productId: string;
  readonly size: string;
  readonly colour: string;
  readonly qty: number;
}

export interface PricedLine extends CartLine {
  readonly product: Product;
  readonly key: string;
  /** Pence. */
  readonly total: number;
}

function store(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: the cart simply stays empty
  }
}

export function lineKey(line: CartLine): string {
  return `${line.productId}|${line.size}|${line.colour}`;
}

function clampQuantity(qty: number): number {
  return Math.min(MAX_QUANTITY, Math.max(1, Math.floor(qty)));
}

/** Keeps only lines that still name a real product, size and colour. */
function isValidLine(value: unknown): value is CartLine {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.productId !== "string" || typeof v.size !== "string") return false;
  if (typeof v.colour !== "string" || typeof v.qty !== "number" || !Number.isFinite(v.qty)) return false;
  const product = findProduct(v.productId);
  return (
    product !== undefined &&
    sizeOptions(product).includes(v.size) &&
    product.colours.some((c) => c.name === v.colour)
  );
}

export function readCart(): CartLine[] {
  const raw = store()?.getItem(CART_KEY);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(isValidLine).map((l) => ({ ...l, qty: clampQuantity(l.qty) }));
  } catch {
    return [];
  }
}

function writeCart(lines: readonly CartLine[]): void {
  store()?.setItem(CART_KEY, JSON.stringify(lines));
  window.dispatchEvent(new CustomEvent(CART_CHANGED));
}

export function addToCart(productId: string, size: string, colour: string, qty: number): void {
  const lines = readCart();
  const added: CartLine = { productId, size, colour, qty: clampQuantity(qty) };
  const key = lineKey(added);
  const existing = lines.findIndex((l) => lineKey(l) === key);
  if (existing >= 0) {
    const line = lines[existing]!;
    lines[existing] = { ...line, qty: clampQuantity(line.qty + added.qty) };
  } else {
    lines.push(added);
  }
  writeCart(lines);
}

export function setQuantity(key: string, qty: number): void {
  writeCart(readCart().map((l) => (lineKey(l) === key ? { ...l, qty: clampQuantity(qty) } : l)));
}

export function removeLine(key: string): void {
  writeCart(readCart().filter((l) => lineKey(l) !== key));
}

export function clearCart(): void {
  writeCart([]);
}

export function priceLines(lines: readonly CartLine[]): PricedLine[] {
  return lines.flatMap((line) => {
    const product = findProduct(line.productId);
    return product ? [{ ...line, product, key: lineKey(line), total: product.price * line.qty }] : [];
  });
}

export function itemCount(lines: readonly CartLine[]): number {
  return lines.reduce((n, l) => n + l.qty, 0);
}

export function subtotal(lines: readonly PricedLine[]): number {
  return lines.reduce((sum, l) => sum + l.total, 0);
}

/** Calls `listener` when this tab or another one changes the cart; returns the stop function. */
export function onCartChange(listener: () => void): () => void {
  const onStorage = (e: StorageEvent): void => {
    if (e.key === CART_KEY || e.key === null) listener();
  };
  window.addEventListener(CART_CHANGED, listener);
  window.addEventListener("storage", onStorage);
  return () => {
    window.removeEventListener(CART_CHANGED, listener);
    window.removeEventListener("storage", onStorage);
  };
}
