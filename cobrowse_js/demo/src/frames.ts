// Same-origin iframes (size guide, DemoPay) sized to their content instead of scrolling inside
// the page: refit when the frame loads, when its width changes and when its DOM changes.

/** Starts fitting `frame`; returns the stop function. */
export function fitToContent(frame: HTMLIFrameElement): () => void {
  let stopWatching = (): void => {};
  const fit = (): void => {
    const body = frame.contentDocument?.body;
    if (body) frame.style.height = `${Math.ceil(body.getBoundingClientRect().height)}px`;
  };
  const onLoad = (): void => {
    stopWatching();
    const win = frame.contentWindow;
    const body = frame.contentDocument?.body;
    if (!win || !body) return;
    const mutations = new MutationObserver(fit);
    mutations.observe(body, { subtree: true, childList: true, characterData: true, attributes: true });
    win.addEventListener("resize", fit);
    stopWatching = () => {
      mutations.disconnect();
      win.removeEventListener("resize", fit);
    };
    fit();
  };
  frame.addEventListener("load", onLoad);
  if (frame.contentDocument?.readyState === "complete" && frame.contentDocument.URL !== "about:blank") onLoad();
  return () => {
    frame.removeEventListener("load", onLoad);
    stopWatching();
  };
}
