// The console's socket as the co-browse view needs it: requests, and a subscription to batches,
// command outcomes, presence and log events that can be cancelled (the console's own listeners
// live as long as the session, so the view's come through this one fan-out).

import type { Connection } from "../console/connection";
import type { CobrowseLink } from "./CobrowseView";

const links = new WeakMap<Connection, CobrowseLink>();

export function consoleLink(connection: Connection): CobrowseLink {
  let link = links.get(connection);
  if (link) return link;
  const subscribers = new Set<(event: string, data: unknown) => void>();
  const fan = (event: string) => (data: unknown) => {
    for (const fn of subscribers) fn(event, data);
  };
  connection.on("cobrowse_batch", fan("cobrowse_batch"));
  connection.on("command_applied", fan("command_applied"));
  // The view's "shopper left" needs the visitor going offline: the leaving signal the page
  // sends on its way out does not always make it.
  connection.on("presence_changed", fan("presence_changed"));
  connection.onLogEvent((e) => fan(e.type)(e));
  link = {
    request: (event, payload) => connection.request(event, payload),
    subscribe: (fn) => {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
  };
  links.set(connection, link);
  return link;
}
