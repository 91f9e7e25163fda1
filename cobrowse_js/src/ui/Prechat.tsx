// The pre-chat form: what it is about (each topic with whether its team can answer now), an
// optional name and email, and the first message. When the topic's team cannot answer it says
// so plainly and the same form leaves a message instead.

import { useEffect, useState } from "preact/hooks";

import type { Controller } from "../controller";
import {
  MAX_EMAIL, MAX_MESSAGE, MAX_NAME, topicStatuses, validatePrechat, type PrechatErrors,
  type TopicStatus,
} from "../state/prechat";
import type { WidgetState } from "../state/widget";
import { formatWait, offlineReasonText } from "../state/wording";

function availabilityLabel(s: TopicStatus): string {
  if (!s.available) return s.reason === "outside_hours" ? "Closed now" : "Offline";
  const wait = formatWait(s.estimatedWaitS);
  if (s.estimatedWaitS === 0) return "Available now";
  return wait ? `~${wait.replace("about ", "")} wait` : "Online";
}

export function Prechat({ controller, state }: { controller: Controller; state: WidgetState }) {
  const site = state.site;
  const statuses = site ? topicStatuses(site, state.availability) : [];
  const [topic, setTopic] = useState(statuses.length === 1 ? statuses[0]?.topic.id ?? "" : "");
  const [name, setName] = useState(state.identity.name);
  const [email, setEmail] = useState(state.identity.email);
  const [message, setMessage] = useState("");
  const [errors, setErrors] = useState<PrechatErrors>({});
  // Aisle.identify() may come after the form opened: fill what the shopper left empty.
  useEffect(() => {
    setName((n) => n || state.identity.name);
    setEmail((e) => e || state.identity.email);
  }, [state.identity]);
  if (!site) return null;

  const chosen = statuses.find((s) => s.topic.id === topic) ?? null;
  const offline = chosen ? !chosen.available : statuses.length > 0 && statuses.every((s) =>
    !s.available);

  const submit = (e?: Event) => {
    e?.preventDefault();
    const input = { topic, name, email, message };
    const found = validatePrechat(input, site.topics);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = (Object.keys(found) as Array<keyof PrechatErrors>)[0];
      const root = (e?.target as HTMLElement | undefined)?.closest?.("form");
      root?.querySelector<HTMLElement>(first === "topic" ? "input[name=topic]" : `#aisle-${first}`)
        ?.focus();
      return;
    }
    void controller.startConversation(input);
  };

  const invalid = (field: keyof PrechatErrors) => (errors[field] ? "true" : undefined);
  const described = (field: keyof PrechatErrors, hint?: string) =>
    [errors[field] ? `aisle-${field}-error` : "", hint ?? ""].filter(Boolean).join(" ") ||
    undefined;

  return (
    <div class="body">
      <form class="form" noValidate onSubmit={submit} data-testid="aisle-prechat"
            data-mode={offline ? "offline" : "live"}>
        <p class="greeting">{site.theme.greeting}</p>
        {statuses.length > 0 && (
          <fieldset role="radiogroup" aria-required="true" aria-invalid={errors.topic ? true : undefined}
                    aria-describedby={errors.topic ? "aisle-topic-error" : undefined}>
            <legend>What can we help with?</legend>
            {statuses.map((s) => (
              <label key={s.topic.id} class={`topic${topic === s.topic.id ? " selected" : ""}`}>
                <input type="radio" name="topic" value={s.topic.id} checked={topic === s.topic.id}
                       data-autofocus={statuses[0] === s ? "" : undefined}
                       onChange={() => setTopic(s.topic.id)} />
                <span class="t">{s.topic.label}</span>
                <span class={`a${s.available ? " on" : ""}`}>{availabilityLabel(s)}</span>
              </label>
            ))}
            {errors.topic && <p class="error" id="aisle-topic-error">{errors.topic}</p>}
          </fieldset>
        )}
        {offline && (
          <div class="note offline" role="status" data-testid="aisle-offline-note">
            <strong>{chosen ? offlineReasonText(chosen.reason, chosen.opensAt)
              : statuses[0]?.reason === "outside_hours"
                ? offlineReasonText("outside_hours", statuses[0].opensAt)
              : "Nobody can answer live right now."}</strong>
            {state.emailReplies
              ? "Leave a message and we'll answer here, and by email if you give your address."
              : "Leave a message and we'll answer here: come back to this site in this browser " +
                "to read the reply."}
          </div>
        )}
        <div class="row">
          <div class="field">
            <label class="label" for="aisle-name">Name <span>(optional)</span></label>
            <input id="aisle-name" name="name" autoComplete="name" maxLength={MAX_NAME}
                   value={name} aria-invalid={invalid("name")}
                   aria-describedby={described("name")}
                   onInput={(e) => setName(e.currentTarget.value)} />
            {errors.name && <p class="error" id="aisle-name-error">{errors.name}</p>}
          </div>
          <div class="field">
            <label class="label" for="aisle-email">Email <span>(optional)</span></label>
            <input id="aisle-email" name="email" type="email" autoComplete="email"
                   maxLength={MAX_EMAIL} value={email} aria-invalid={invalid("email")}
                   aria-describedby={described("email", offline ? "aisle-email-hint" : undefined)}
                   onInput={(e) => setEmail(e.currentTarget.value)} />
            {errors.email && <p class="error" id="aisle-email-error">{errors.email}</p>}
          </div>
        </div>
        {offline && <p class="hint" id="aisle-email-hint" style={{ marginTop: "-8px" }}>
          {state.emailReplies
            ? "We'll reply here, and email you the answer if you haven't read it here first."
            : "We'll reply here, in this browser, not by email. Your name and email tell whoever " +
              "answers who you are."}</p>}
        <div class="field">
          <label class="label" for="aisle-message">{offline ? "Your message" : "Message"}</label>
          <textarea id="aisle-message" name="message" maxLength={MAX_MESSAGE} value={message}
                    placeholder={offline ? "What would you like to ask?" : "How can we help?"}
                    aria-invalid={invalid("message")} aria-describedby={described("message")}
                    aria-required="true"
                    onInput={(e) => setMessage(e.currentTarget.value)}
                    onKeyDown={(e) => {
                      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submit(e);
                    }} />
          {errors.message && <p class="error" id="aisle-message-error">{errors.message}</p>}
        </div>
        {state.problem && <div class="note problem" role="alert">{state.problem}</div>}
        <button type="submit" class="primary" disabled={state.starting}>
          {state.starting ? "Sending…" : offline ? "Leave a message" : "Start chat"}
        </button>
      </form>
    </div>
  );
}
