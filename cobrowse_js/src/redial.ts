// Dialling again at once when a shopper is back from a dead spot (connection.ts).

/** Calls `dial` when the network or the page comes back: the browser is online again, the tab
 * is shown again, or the page is restored from the back-forward cache. A shopper out of a
 * tunnel should not wait out a reconnection backoff (a call gives them a minute or so). Returns
 * its remover. */
export function redialOnReturn(win: EventTarget, doc: EventTarget & { visibilityState: string },
                               dial: () => void): () => void {
  const online = (): void => dial();
  const shown = (): void => {
    if (doc.visibilityState === "visible") dial();
  };
  const restored = (e: Event): void => {
    if ((e as Event & { persisted?: boolean }).persisted) dial();
  };
  win.addEventListener("online", online);
  win.addEventListener("pageshow", restored);
  doc.addEventListener("visibilitychange", shown);
  return () => {
    win.removeEventListener("online", online);
    win.removeEventListener("pageshow", restored);
    doc.removeEventListener("visibilitychange", shown);
  };
}
