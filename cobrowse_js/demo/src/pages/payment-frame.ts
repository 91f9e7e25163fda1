// payment-frame.html: stands in for a payment provider's iframe (co-browsing blocks it).

const form = document.getElementById("demopay-form");
const status = document.getElementById("demopay-status");
form?.addEventListener("submit", (e) => {
  e.preventDefault();
  if (status) status.textContent = "DemoPay is a stand-in in this demo store: please pay by card.";
});
