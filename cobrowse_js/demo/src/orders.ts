// Past orders shown on the account page: a few samples plus what this browser placed.

const ORDERS_KEY = "aisle-demo:orders:v1";
const MAX_KEPT = 20;

export interface OrderItem {
  readonly name: string;
  readonly options: string;
  readonly qty: number;
}

export interface OrderRecord {
  readonly number: string;
  /** ISO 8601. */
  readonly placedAt: string;
  readonly items: readonly OrderItem[];
  /** Pence. */
  readonly total: number;
  readonly status: "Processing" | "Shipped" | "Delivered";
  readonly shipTo: string;
  readonly email: string;
}

export const SAMPLE_ORDERS: readonly OrderRecord[] = [
  {
    number: "HG-204816",
    placedAt: "2025-03-02T10:14:00Z",
    items: [
      { name: "Harbour Tee", options: "M · Navy", qty: 2 },
      { name: "Enamel Mug", options: "Cream", qty: 1 },
    ],
    total: 6395,
    status: "Delivered",
    shipTo: "Ada Lovelace, 12 Harbour Road, Bristol BS1 4DJ",
    email: "ada@example.com",
  },
  {
    number: "HG-198377",
    placedAt: "2025-01-18T16:40:00Z",
    items: [{ name: "Day Pack", options: "Olive", qty: 1 }],
    total: 7200,
    status: "Delivered",
    shipTo: "Ada Lovelace, 12 Harbour Road, Bristol BS1 4DJ",
    email: "ada@example.com",
  },
];

function store(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function isOrder(value: unknown): value is OrderRecord {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.number === "string" &&
    typeof v.placedAt === "string" &&
    Array.isArray(v.items) &&
    typeof v.total === "number" &&
    typeof v.shipTo === "string"
  );
}

/** Orders placed in this browser, newest first. */
export function readPlacedOrders(): OrderRecord[] {
  const raw = store()?.getItem(ORDERS_KEY);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter(isOrder) : [];
  } catch {
    return [];
  }
}

export function saveOrder(order: OrderRecord): void {
  const orders = [order, ...readPlacedOrders()].slice(0, MAX_KEPT);
  store()?.setItem(ORDERS_KEY, JSON.stringify(orders));
}

/** "HG-" and six digits. */
export function newOrderNumber(): string {
  const n = crypto.getRandomValues(new Uint32Array(1))[0]! % 900000;
  return `HG-${100000 + n}`;
}
