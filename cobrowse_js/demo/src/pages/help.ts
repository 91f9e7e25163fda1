// help.html: a small single-page app. Topics are routes (?topic=…) switched with
// history.pushState; the back button and reloads work.
import { byId, h } from "../dom";

interface Topic {
  readonly title: string;
  readonly body: () => Node[];
}

const p = (text: string): HTMLParagraphElement => h("p", {}, text);
const link = (topic: string, text: string): HTMLAnchorElement =>
  h("a", { href: topicUrl(topic), "data-route": topic }, text);

function topicUrl(topic: string): string {
  return topic ? `/demo/help.html?topic=${topic}` : "/demo/help.html";
}

function contactForm(): HTMLFormElement {
  const status = h("p", { class: "form-status", role: "status", "data-testid": "contact-status" });
  const form = h(
    "form",
    { class: "stack", "data-testid": "contact-form", novalidate: true },
    h(
      "div",
      { class: "field" },
      h("label", { for: "contact-reason" }, "What is it about?"),
      h(
        "select",
        { id: "contact-reason", name: "reason" },
        ...["An order", "Returns", "Sizing", "Something else"].map((r) => h("option", {}, r)),
      ),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "contact-order" }, "Order number ", h("span", { class: "optional" }, "(optional)")),
      h("input", { id: "contact-order", name: "order", placeholder: "HG-123456", autocomplete: "off" }),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "contact-message" }, "Message"),
      h("textarea", { id: "contact-message", name: "message", rows: 4, required: true }),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "contact-photo" }, "Attach a photo ", h("span", { class: "optional" }, "(optional)")),
      h("input", { id: "contact-photo", name: "photo", type: "file", accept: "image/*" }),
    ),
    h("button", { type: "submit", class: "button button-primary" }, "Send message"),
    status,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const message = form.querySelector<HTMLTextAreaElement>("#contact-message")!;
    if (!message.value.trim()) {
      status.textContent = "Please write a short message first.";
      message.focus();
      return;
    }
    form.reset();
    status.textContent = "Thanks — we'll reply within one working day. Or use the chat for a faster answer.";
  });
  return form;
}

const TOPICS: Record<string, Topic> = {
  "": {
    title: "How can we help?",
    body: () => [
      p("Pick a topic, or open the chat in the corner to talk to one of our team."),
      h(
        "ul",
        { class: "topic-cards" },
        ...(
          [
            ["shipping", "Shipping", "Costs, speeds and where we deliver."],
            ["returns", "Returns", "30 days, free, no questions asked."],
            ["payments", "Payments", "Cards we take and how we keep them safe."],
            ["sizing", "Sizing", "Find your size before you order."],
            ["contact", "Contact us", "Write to us, with a photo if it helps."],
          ] as const
        ).map(([id, title, text]) =>
          h("li", {}, h("a", { href: topicUrl(id), "data-route": id, class: "topic-card" }, h("strong", {}, title), h("span", {}, text))),
        ),
      ),
    ],
  },
  shipping: {
    title: "Shipping",
    body: () => [
      p("Standard delivery takes 3–5 working days and costs £3.95, or nothing on orders over £50."),
      p("Express delivery arrives the next working day if you order by 2 pm, for £7.95."),
      p("You can also collect from our shop on Harbour Street, Bristol, usually within two hours."),
    ],
  },
  returns: {
    title: "Returns",
    body: () => [
      p("Changed your mind? Send anything back unworn within 30 days for a full refund. Returns are free."),
      p("Start a return from your account page, print the label and drop the parcel at any post office."),
    ],
  },
  payments: {
    title: "Payments",
    body: () => [
      p("We take Visa, Mastercard and American Express, and DemoPay."),
      p("Card details go straight to our payment provider: we never see or store your full card number."),
    ],
  },
  sizing: {
    title: "Sizing",
    body: () => {
      const para = p("Our tops have a relaxed fit. Each clothing and shoe page has a size guide; if you are between sizes, ");
      para.append(link("contact", "ask us"), " and we'll help.");
      return [para];
    },
  },
  contact: {
    title: "Contact us",
    body: () => [p("We answer every message within one working day."), contactForm()],
  },
};

const view = byId("help-view");

function topicFromLocation(): string {
  const topic = new URLSearchParams(location.search).get("topic") ?? "";
  return topic in TOPICS ? topic : "";
}

function render(topic: string, moveFocus: boolean): void {
  const t = TOPICS[topic] ?? TOPICS[""]!;
  const heading = h("h1", { id: "help-heading", tabindex: -1, "data-testid": "help-heading" }, t.title);
  view.replaceChildren(
    ...(topic ? [h("p", { class: "back-link" }, link("", "← All help topics"))] : []),
    heading,
    ...t.body(),
  );
  view.dataset.topic = topic || "index";
  document.title = topic ? `${t.title} — Help — Harbour Goods` : "Help — Harbour Goods";
  for (const a of document.querySelectorAll<HTMLAnchorElement>(".help-nav a[data-route]")) {
    if (a.dataset.route === topic) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (moveFocus) heading.focus();
}

document.addEventListener("click", (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.("a[data-route]");
  if (!(a instanceof HTMLAnchorElement)) return;
  const topic = a.dataset.route ?? "";
  e.preventDefault();
  if (topic !== topicFromLocation()) history.pushState({ topic }, "", topicUrl(topic));
  render(topic, true);
});

window.addEventListener("popstate", () => render(topicFromLocation(), true));
render(topicFromLocation(), false);
