// The review player's pages and their addresses under /review/ (pure).

export type Route =
  | { page: "list"; search: string }
  | { page: "recording"; id: string; at: number | null }
  | { page: "summaries"; by: "agent" | "team" }
  | { page: "reports"; search: string }
  | { page: "team" }
  | { page: "shoppers" }
  | { page: "sites" };

export const BASE = "/review/";

const ID = /^cnv_[A-Za-z0-9_-]{1,64}$/;

export function parseRoute(pathname: string, search: string): Route {
  const tail = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : "";
  const parts = tail.split("/").filter(Boolean);
  const params = new URLSearchParams(search);
  if (parts[0] === "recordings" && parts[1] && ID.test(parts[1])) {
    const at = Number(params.get("t"));
    return { page: "recording", id: parts[1], at: Number.isFinite(at) && at > 0 ? Math.round(at * 1000) : null };
  }
  if (parts[0] === "reports") return { page: "reports", search };
  if (parts[0] === "team") return { page: "team" };
  if (parts[0] === "shoppers") return { page: "shoppers" };
  if (parts[0] === "sites") return { page: "sites" };
  if (parts[0] === "summaries") {
    return { page: "summaries", by: params.get("by") === "team" ? "team" : "agent" };
  }
  return { page: "list", search };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case "recording":
      return `${BASE}recordings/${route.id}${route.at !== null && route.at > 0 ? `?t=${seconds(route.at)}` : ""}`;
    case "summaries":
      return `${BASE}summaries${route.by === "team" ? "?by=team" : ""}`;
    case "reports":
      return `${BASE}reports${route.search}`;
    case "team":
      return `${BASE}team`;
    case "shoppers":
      return `${BASE}shoppers`;
    case "sites":
      return `${BASE}sites`;
    default:
      return `${BASE}${route.search}`;
  }
}

/** "75", "20.5": a moment of a recording in seconds, to a tenth, for its address. */
function seconds(ms: number): string {
  return String(Math.floor(ms / 100) / 10);
}
