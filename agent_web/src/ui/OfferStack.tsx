// Offers: prominent cards over everything, each with who, what about, the first message, a
// countdown and Accept / Decline.
import type { JSX } from "preact";
import { formatCountdown, type Offer, offerTitle, remainingFraction, remainingMs } from "../state/offers";
import { Avatar } from "./Avatar";
import { useController, useServerNow, useTopicLabel } from "./hooks";

function OfferCard({ offer, now }: { offer: Offer; now: number }): JSX.Element {
  const topic = useTopicLabel();
  const c = useController();
  const left = remainingMs(offer, now);
  const fraction = remainingFraction(offer, now);
  const title = offerTitle(offer);
  const id = offer.conversation.id;
  return (
    <section class={`offer-card${left < 10_000 ? " urgent" : ""}`}
      aria-labelledby={`offer-${id}-title`} aria-describedby={`offer-${id}-msg`} data-conversation={id}>
      <div class="offer-head">
        <Avatar name={title} size={40} />
        <div class="offer-who">
          <div class="offer-kicker">New chat</div>
          <h2 id={`offer-${id}-title`}>{title}</h2>
          <div class="offer-meta">{topic(offer.summary)} · {offer.summary.team}</div>
        </div>
        <div class="offer-countdown" aria-label={`${Math.ceil(left / 1000)} seconds left`} role="timer">
          {formatCountdown(left)}
        </div>
      </div>
      <p class="offer-message" id={`offer-${id}-msg`}>
        {offer.summary.last_message ? `“${offer.summary.last_message}”` : <span class="muted">No message yet</span>}
      </p>
      {offer.transferNote ? <p class="offer-note" data-testid="offer-note"><strong>Transfer note:</strong> {offer.transferNote}</p> : null}
      <div class="offer-bar" aria-hidden="true"><span style={{ width: `${fraction * 100}%` }} /></div>
      <div class="offer-actions">
        <button type="button" class="btn btn-ghost" onClick={() => void c.actions.decline(id)}>Decline</button>
        <button type="button" class="btn btn-primary" onClick={() => void c.actions.accept(id)}>Accept</button>
      </div>
    </section>
  );
}

export function OfferStack({ offers }: { offers: Offer[] }): JSX.Element | null {
  const now = useServerNow(250);
  if (offers.length === 0) return null;
  return (
    <div class="offer-stack" role="region" aria-label="Chats offered to you" aria-live="assertive">
      {offers.map((o) => <OfferCard key={o.conversation.id} offer={o} now={now} />)}
    </div>
  );
}
