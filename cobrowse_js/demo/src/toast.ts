// Short confirmations ("Added to cart") in the page's polite live region, `#toast`.

const TOAST_MS = 4000;
let hideTimer: number | undefined;

export function showToast(message: string): void {
  const region = document.getElementById("toast");
  if (!region) return;
  region.textContent = message;
  window.clearTimeout(hideTimer);
  hideTimer = window.setTimeout(() => {
    region.textContent = "";
  }, TOAST_MS);
}
