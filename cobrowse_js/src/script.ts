// Loads one of Aisle's lazy bundles (aisle-cobrowse.js, aisle-call.js) into the store's page.

/** Resolves once the script ran; rejects when it could not be loaded. */
export function loadScript(url: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.referrerPolicy = "origin"; // the page's address stays out of request logs
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`${url} did not load`));
    (document.head ?? document.documentElement).appendChild(script);
  });
}
