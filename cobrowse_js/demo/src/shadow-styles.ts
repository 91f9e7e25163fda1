// Styles for the store's custom elements: constructable stylesheets (adoptedStyleSheets) where
// the browser has them, which also keeps them within a strict CSP; a <style> element otherwise.

const sheets = new Map<string, CSSStyleSheet>();

/** Applies `css` to `root`; returns the nodes a re-render must keep (a fallback <style>). */
export function adoptStyles(root: ShadowRoot, css: string): Node[] {
  if ("adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype) {
    let sheet = sheets.get(css);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(css, sheet);
    }
    root.adoptedStyleSheets = [sheet];
    return [];
  }
  const style = document.createElement("style");
  style.textContent = css;
  root.append(style);
  return [style];
}
