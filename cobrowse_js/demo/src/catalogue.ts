// The demo store's products. Prices are integer pence; ids appear in URLs and in the cart.

export type Kind = "tee" | "hoodie" | "sneaker" | "tote" | "backpack" | "beanie" | "mug" | "bottle";
export type Category = "Clothing" | "Footwear" | "Bags" | "Home";
export type SizeChart = "tops" | "shoes";

export interface Colour {
  readonly name: string;
  readonly hex: string;
}

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly kind: Kind;
  readonly category: Category;
  /** Pence. */
  readonly price: number;
  readonly blurb: string;
  readonly description: string;
  readonly colours: readonly Colour[];
  /** Empty for one-size products. */
  readonly sizes: readonly string[];
  readonly defaultSize: string;
  readonly sizeChart: SizeChart | null;
  /** Position in the "Featured" order. */
  readonly featured: number;
}

export const ONE_SIZE = "One size";
export const CATEGORIES: readonly Category[] = ["Clothing", "Footwear", "Bags", "Home"];

const TOP_SIZES = ["XS", "S", "M", "L", "XL"] as const;
const SHOE_SIZES = ["38", "39", "40", "41", "42", "43", "44", "45"] as const;

export const PRODUCTS: readonly Product[] = [
  {
    id: "harbour-tee",
    name: "Harbour Tee",
    kind: "tee",
    category: "Clothing",
    price: 2400,
    blurb: "Heavyweight organic cotton, boxy fit.",
    description:
      "A 220 gsm organic cotton T-shirt with a relaxed, boxy cut and a chest pocket. Pre-washed so it keeps its shape.",
    colours: [
      { name: "Navy", hex: "#1e3a5f" },
      { name: "Sand", hex: "#d6b98c" },
      { name: "Sage", hex: "#7c9a7e" },
    ],
    sizes: TOP_SIZES,
    defaultSize: "M",
    sizeChart: "tops",
    featured: 1,
  },
  {
    id: "drift-hoodie",
    name: "Drift Hoodie",
    kind: "hoodie",
    category: "Clothing",
    price: 5800,
    blurb: "Brushed-back fleece with a double-layer hood.",
    description:
      "Loopback fleece, brushed inside for warmth, with a kangaroo pocket and flat drawcords. Made to be lived in.",
    colours: [
      { name: "Charcoal", hex: "#3f4448" },
      { name: "Rust", hex: "#b4532a" },
      { name: "Fog", hex: "#aab4bd" },
    ],
    sizes: TOP_SIZES,
    defaultSize: "M",
    sizeChart: "tops",
    featured: 2,
  },
  {
    id: "trail-runner",
    name: "Trail Runner",
    kind: "sneaker",
    category: "Footwear",
    price: 8900,
    blurb: "Grippy, light and happy on wet cobbles.",
    description:
      "A recycled-mesh upper on a cushioned foam sole with a deep lug pattern. Light enough for the city, grippy enough for the coast path.",
    colours: [
      { name: "Teal", hex: "#0f766e" },
      { name: "Coral", hex: "#e0674f" },
      { name: "Graphite", hex: "#44403c" },
    ],
    sizes: SHOE_SIZES,
    defaultSize: "42",
    sizeChart: "shoes",
    featured: 3,
  },
  {
    id: "canvas-tote",
    name: "Canvas Tote",
    kind: "tote",
    category: "Bags",
    price: 1900,
    blurb: "12 oz canvas, long handles, inner pocket.",
    description:
      "A sturdy 12 oz cotton canvas tote with long handles that fit over a coat, and an inner pocket for keys.",
    colours: [
      { name: "Natural", hex: "#e7dcc4" },
      { name: "Ink", hex: "#28324a" },
    ],
    sizes: [],
    defaultSize: ONE_SIZE,
    sizeChart: null,
    featured: 5,
  },
  {
    id: "day-pack",
    name: "Day Pack",
    kind: "backpack",
    category: "Bags",
    price: 7200,
    blurb: "20 litres, padded laptop sleeve, water-resistant.",
    description:
      "A 20 litre roll of waxed canvas with a padded 15\" laptop sleeve, a zipped front pocket and comfortable straps.",
    colours: [
      { name: "Olive", hex: "#5b6b3a" },
      { name: "Black", hex: "#27272a" },
      { name: "Mustard", hex: "#c9962b" },
    ],
    sizes: [],
    defaultSize: ONE_SIZE,
    sizeChart: null,
    featured: 4,
  },
  {
    id: "rib-beanie",
    name: "Rib Beanie",
    kind: "beanie",
    category: "Clothing",
    price: 1600,
    blurb: "Merino blend, turn-up cuff, pom-pom.",
    description:
      "Soft merino-blend rib knit with a deep turn-up cuff. Warm without the itch, and a pom-pom for good measure.",
    colours: [
      { name: "Mustard", hex: "#d19a2a" },
      { name: "Forest", hex: "#2f5d47" },
      { name: "Berry", hex: "#8e2f52" },
    ],
    sizes: [],
    defaultSize: ONE_SIZE,
    sizeChart: null,
    featured: 6,
  },
  {
    id: "enamel-mug",
    name: "Enamel Mug",
    kind: "mug",
    category: "Home",
    price: 1200,
    blurb: "Camp-style steel mug, 350 ml.",
    description:
      "A steel mug with a glossy enamel coat and a rolled rim. Holds 350 ml of tea and shrugs off the odd drop.",
    colours: [
      { name: "Cream", hex: "#efe6d2" },
      { name: "Cobalt", hex: "#2952a3" },
    ],
    sizes: [],
    defaultSize: ONE_SIZE,
    sizeChart: null,
    featured: 7,
  },
  {
    id: "steel-bottle",
    name: "Steel Bottle",
    kind: "bottle",
    category: "Home",
    price: 2200,
    blurb: "Insulated, 750 ml, keeps cold for 24 h.",
    description:
      "A double-walled stainless steel bottle: 24 hours cold, 12 hours hot, and a leak-proof cap with a carry loop.",
    colours: [
      { name: "Ocean", hex: "#2b7a9b" },
      { name: "Stone", hex: "#a8a29e" },
      { name: "Clay", hex: "#b86b4b" },
    ],
    sizes: [],
    defaultSize: ONE_SIZE,
    sizeChart: null,
    featured: 8,
  },
];

export function findProduct(id: string | null | undefined): Product | undefined {
  return PRODUCTS.find((p) => p.id === id);
}

/** The sizes a shopper can choose from: the product's own, or "One size". */
export function sizeOptions(product: Product): readonly string[] {
  return product.sizes.length > 0 ? product.sizes : [ONE_SIZE];
}

const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

export function formatPrice(pence: number): string {
  return money.format(pence / 100);
}

export function productUrl(product: Product): string {
  return `/demo/product.html?id=${encodeURIComponent(product.id)}`;
}
