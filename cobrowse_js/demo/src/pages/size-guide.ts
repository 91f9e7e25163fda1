// size-guide.html (shown in an iframe on product pages): picks the chart from ?chart= and
// switches the measurements between centimetres and inches.

const CM_PER_INCH = 2.54;
const chart = new URLSearchParams(location.search).get("chart");

for (const section of document.querySelectorAll<HTMLElement>("[data-chart]")) {
  // Without a (known) chart in the URL, every chart stays visible.
  if (chart === "tops" || chart === "shoes") section.hidden = section.dataset.chart !== chart;
}

function showUnits(unit: "cm" | "in"): void {
  for (const cell of document.querySelectorAll<HTMLElement>("[data-cm]")) {
    const cm = Number(cell.dataset.cm);
    cell.textContent = unit === "cm" ? String(cm) : (cm / CM_PER_INCH).toFixed(1);
  }
  for (const label of document.querySelectorAll<HTMLElement>("[data-unit-label]")) label.textContent = unit;
}

for (const radio of document.querySelectorAll<HTMLInputElement>("input[name='units']")) {
  radio.addEventListener("change", () => {
    if (radio.checked) showUnits(radio.value === "in" ? "in" : "cm");
  });
}
