// Offers: prominent cards over everything, each with who, what about, the first message, a
// countdown and Accept / Decline. Screen readers hear each offer once, as it arrives (the
// countdown ticks every second and is no part of that), and the keyboard lands on its Accept
// when the agent's focus is nowhere in particular.
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import {
  formatCountdown, type Offer, offerAnnouncement, offerKicker, offerTitle, remainingFraction, remainingMs,
} from "../state/offers";
import { Avatar } from "./Avatar";
import { useController, useServerNow, useTopicLabel } from "./hooks";

function OfferCard({ offer, now, connected }: { offer: Offer; now: number; connected: boolean }
): JSX.Element {
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
          <div class="offer-kicker">{offerKicker(offer)}</div>
          <h2 id={`offer-${id}-title`}>{title}</h2>
          <div class="offer-meta">{topic(offer.summary)} · {offer.summary.team}</div>
        </div>
        {/* A timer is not live (aria-live off): read when the agent goes to it, never spoken
          * on its own every second. */}
        <div class="offer-countdown" role="timer" aria-live="off">
          {connected ? formatCountdown(left) : "–"}
        </div>
      </div>
      <p class="offer-message" id={`offer-${id}-msg`}>
        {offer.summary.last_message ? `“${offer.summary.last_message}”` : <span class="muted">No message yet</span>}
      </p>
      {offer.transferNote ? <p class="offer-note" data-testid="offer-note"><strong>Transfer note:</strong> {offer.transferNote}</p> : null}
      <div class="offer-bar" aria-hidden="true"><span style={{ width: `${fraction * 100}%` }} /></div>
      {connected ? (
        <div class="offer-actions">
          <button type="button" class="btn btn-ghost" onClick={() => void c.actions.decline(id)}>Decline</button>
          <button type="button" class="btn btn-primary" data-accept={id} onClick={() => void c.actions.accept(id)}>Accept</button>
        </div>
      ) : (
        // The server hands an offer on when the agent's connection drops: nothing to accept
        // until it is back (then the list says whether this one is still theirs).
        <p class="offer-note" data-testid="offer-reconnecting">Reconnecting… this chat may go to a colleague meanwhile.</p>
      )}
    </section>
  );
}

/** Focus the agent put somewhere (a field, a button, a tab, another offer) is not taken away:
 * their next Enter or Space must not accept a chat they did not mean to. */
function busyElsewhere(active: Element | null): boolean {
  return active !== null && active !== document.body;
}

/** The cards' offers, each said once when it arrives; kept in the page while there are none
 * so that the first one is heard (a live region must be there before what it announces). */
function Announcements({ offers }: { offers: Offer[] }): JSX.Element {
  const topic = useTopicLabel();
  return (
    <div class="visually-hidden" aria-live="assertive" data-testid="offer-announcements">
      {offers.map((o) => <p key={o.conversation.id}>{offerAnnouncement(o, topic(o.summary))}</p>)}
    </div>
  );
}

export function OfferStack({ offers, connected }: { offers: Offer[]; connected: boolean }
): JSX.Element {
  const now = useServerNow(250);
  const seen = useRef(new Set<string>());
  const newest = offers[offers.length - 1]?.conversation.id ?? null;
  useEffect(() => {
    const fresh = offers.filter((o) => !seen.current.has(o.conversation.id));
    seen.current = new Set(offers.map((o) => o.conversation.id));
    if (!fresh.length || !newest || busyElsewhere(document.activeElement)) return;
    document.querySelector<HTMLElement>(`.offer-card [data-accept="${newest}"]`)?.focus();
  }, [offers]);
  return (
    <>
      <Announcements offers={offers} />
      {offers.length ? (
        <div class="offer-stack" role="region" aria-label="Chats offered to you">
          {offers.map((o) => <OfferCard key={o.conversation.id} offer={o} now={now} connected={connected} />)}
        </div>
      ) : null}
    </>
  );
}
