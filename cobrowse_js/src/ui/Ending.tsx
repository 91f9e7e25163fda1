// After the end: rate the conversation 1–5 with an optional comment (once) when an agent took
// part, then start anew.

import { useEffect, useRef, useState } from "preact/hooks";

import type { Controller } from "../controller";
import { MAX_COMMENT } from "../state/prechat";
import { agentTookPart, type WidgetState } from "../state/widget";

const SCALE = ["Very poor", "Poor", "Okay", "Good", "Excellent"];

export function Ending({ controller, state }: { controller: Controller; state: WidgetState }) {
  const conv = state.conversation;
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState("");
  const [sending, setSending] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const rated = conv?.rating ?? null;
  // Nothing to rate when nobody answered (ended while waiting) or the store closed a message.
  const rateable = conv !== null && rated === null && conv.ended_reason !== "closed_offline" &&
    agentTookPart(state);

  // Move focus here only from inside the widget (the composer just went away) or from nowhere.
  useEffect(() => {
    const el = heading.current;
    const root = el?.getRootNode() as ShadowRoot | undefined;
    const active = document.activeElement;
    if (root?.activeElement || active === document.body || active === root?.host) el?.focus();
  }, [rated === null, rateable]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!rating || sending) return;
    setSending(true);
    await controller.rate(rating, comment);
    setSending(false);
  };

  return (
    <div class="end" data-testid="aisle-ending">
      {rateable ? (
        <form class="csat" onSubmit={submit} data-testid="aisle-csat">
          <h3 ref={heading} tabIndex={-1}>How was your chat?</h3>
          <p>Your rating helps us get better.</p>
          <fieldset class="stars">
            <legend class="sr-only">Rate this conversation from 1 to 5</legend>
            {SCALE.map((label, i) => (
              <label key={label} class={`star${rating > i ? " lit" : ""}`} title={label}>
                <input type="radio" name="rating" value={i + 1} checked={rating === i + 1}
                       aria-label={`${i + 1}: ${label}`} onChange={() => setRating(i + 1)} />
                <span aria-hidden="true">{i + 1}</span>
              </label>
            ))}
          </fieldset>
          <div class="scale" aria-hidden="true"><span>Very poor</span><span>Excellent</span></div>
          <div class="field">
            <label class="label" for="aisle-comment">Anything to add? <span>(optional)</span></label>
            <textarea id="aisle-comment" maxLength={MAX_COMMENT} value={comment} rows={2}
                      style={{ minHeight: "64px" }}
                      onInput={(e) => setComment(e.currentTarget.value)} />
          </div>
          <button type="submit" class="primary" disabled={!rating || sending}
                  style={{ marginTop: "12px" }}>{sending ? "Sending…" : "Send feedback"}</button>
        </form>
      ) : rated !== null ? (
        <div class="thanks" role="status" data-testid="aisle-thanks">
          <strong ref={heading} tabIndex={-1}>Thanks for your feedback!</strong>
          <p>You rated this conversation {rated} out of 5.</p>
        </div>
      ) : null}
      <button type="button" class="secondary" data-testid="aisle-new"
              onClick={() => controller.newConversation()}>Start a new conversation</button>
    </div>
  );
}
