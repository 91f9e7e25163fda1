// The conversation's lines: a live log for screen readers, kept scrolled to the newest unless the
// agent scrolled up to read. The log is the scrolling box around the list (a list's items must
// stay in a list for assistive technologies, so the list itself cannot be the log).
import type { JSX } from "preact";
import { useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { StickToBottom } from "../../../cobrowse_js/src/ui/stick";
import type { ConvState, ReadingPlace } from "../state/conversation";
import { formatClock } from "../state/time";
import { buildTranscript, type MessageItem } from "../state/transcript";
import { IconLock } from "./Icons";
import { useController, useTopicLabel } from "./hooks";

function Bubble({ item, convId }: { item: MessageItem; convId: string }): JSX.Element {
  const c = useController();
  const note = item.kind === "note";
  return (
    <li class={`msg msg-${item.side}${note ? " msg-note" : ""}${item.first ? " msg-first" : ""}`}
      data-seq={item.seq ?? undefined} data-kind={item.kind} data-key={item.key}>
      {item.first ? (
        <div class="msg-author">
          {note ? <><IconLock size={12} /> Internal note · </> : null}{item.author}
          <span class="msg-time">{formatClock(item.ts)}</span>
        </div>
      ) : null}
      <div class="msg-bubble">{item.text}</div>
      {item.status === "sending" ? <div class="msg-status">Sending…</div> : null}
      {item.status === "failed" ? (
        <div class="msg-status msg-failed" role="alert">
          Not sent.{" "}
          <button type="button" class="link" onClick={() => c.actions.retry(convId, item.clientId)}>Retry</button>
          {" · "}
          <button type="button" class="link" onClick={() => c.actions.discard(convId, item.clientId)}>Discard</button>
        </div>
      ) : null}
      {item.status === "seen" ? <div class="msg-status msg-seen" data-testid="seen">Seen</div> : null}
    </li>
  );
}

/** The line at the top of the box (`place.key`) and how far below the box's top it is. */
function lineAtTop(box: HTMLElement): { key: string; offset: number } | null {
  const top = box.getBoundingClientRect().top;
  for (const li of box.querySelectorAll<HTMLElement>("li[data-key]")) {
    const rect = li.getBoundingClientRect();
    if (rect.bottom > top) return { key: li.dataset.key!, offset: rect.top - top };
  }
  return null;
}

/** Scrolls `box` so that the line `place.key` is `place.offset` below its top again. */
function backTo(box: HTMLElement, place: ReadingPlace): void {
  const li = box.querySelector<HTMLElement>(`li[data-key="${CSS.escape(place.key)}"]`);
  if (li) box.scrollTop += li.getBoundingClientRect().top - box.getBoundingClientRect().top - place.offset;
}

export function Transcript({ conv, meId, visitorName, label }: {
  conv: ConvState; meId: string; visitorName: string; label: string;
}): JSX.Element {
  const topic = useTopicLabel()(conv.conversation);
  const items = useMemo(() => buildTranscript(conv.events, {
    meId, visitorName, visitorReadSeq: conv.conversation.visitor_read_seq, pending: conv.pending,
    topicLabel: topic,
  }), [conv.events, conv.pending, conv.conversation.visitor_read_seq, meId, visitorName, topic]);
  const box = useRef<HTMLDivElement>(null);
  const c = useController();
  const id = conv.conversation.id;
  // An agent scrolled back to read is told when something new came in below (the box keeps
  // their place, so nothing else in the pane would say so), and gets back there in one click.
  const lastKey = items.length ? items[items.length - 1]!.key : null;
  const [seenKey, setSeenKey] = useState<string | null>(() => conv.reading?.seenKey ?? lastKey);
  const seen = useRef(seenKey);
  seen.current = seenKey;
  // The newest line stays in view while the agent is at the end, also when a call or a
  // sharing opening above the transcript shrinks it. One who left this chat for another while
  // scrolled back comes back to the same line (widths may have changed: not the same pixels).
  const stick = useRef<StickToBottom | null>(null);
  useLayoutEffect(() => {
    const el = box.current;
    stick.current = el ? new StickToBottom(el) : null;
    if (el && conv.reading) {
      backTo(el, conv.reading);
      stick.current?.scrolled();
    }
    return () => {
      const st = stick.current;
      const top = el && st && !st.atEnd ? lineAtTop(el) : null;
      c.dispatch({ type: "reading", id, place: top ? { ...top, seenKey: seen.current } : null });
      st?.stop();
    };
  }, []);
  useLayoutEffect(() => {
    stick.current?.follow();
    if (stick.current?.atEnd ?? true) setSeenKey(lastKey);
  }, [items]);
  const onScroll = (): void => {
    stick.current?.scrolled();
    if (stick.current?.atEnd) setSeenKey(lastKey);
  };
  const behind = lastKey !== seenKey && !(stick.current?.atEnd ?? true);
  const toEnd = (): void => {
    stick.current?.follow(true);
    setSeenKey(lastKey);
  };
  return (
    <div class="transcript-wrap">
    <div class="transcript" role="log" aria-live="polite" aria-label={label} ref={box} onScroll={onScroll} tabIndex={0}>
      <ol class="transcript-lines">
        {!conv.loaded && items.length === 0 ? <li class="sys">Loading the conversation…</li> : null}
        {items.map((item) => item.kind === "system"
          ? <li key={item.key} class={`sys sys-${item.tone}`} data-seq={item.seq} data-key={item.key}><span>{item.text}</span> <time>{formatClock(item.ts)}</time></li>
          : <Bubble key={item.key} item={item} convId={conv.conversation.id} />)}
      </ol>
    </div>
    {behind ? <button type="button" class="new-below" data-testid="new-below" onClick={toEnd}>
      New messages below ↓</button> : null}
    </div>
  );
}
