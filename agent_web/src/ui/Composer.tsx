// Writing in a conversation: a reply to the visitor or an internal note. Enter sends,
// Shift+Enter starts a new line, `/shortcut` offers canned responses.
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { CannedResponse } from "../protocol.gen";
import { TypingEmitter } from "../console/typing";
import { expandAt, expandWhole, matchCanned, shortcutAt, type ShortcutQuery, type TemplateValues } from "../state/canned";
import { loadDraft, saveDraft } from "../state/drafts";
import { useController } from "./hooks";
import { IconLock, IconSend } from "./Icons";

const MAX = 4000;

/** The browser's localStorage, where it can be used: drafts outlive a closed tab. */
function draftStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function Composer({ convId, canned, values, allowNotes = true }: {
  convId: string; canned: CannedResponse[]; values: TemplateValues; allowNotes?: boolean;
}): JSX.Element {
  const c = useController();
  const me = c.state.me?.id ?? "";
  const storage = draftStorage();
  // Drafts survive switching conversations, reloading the console and closing its tab.
  const kept = useMemo(() => (storage && me ? loadDraft(storage, me, convId) : null), [convId, me]);
  const [text, setText] = useState(kept?.text ?? "");
  const [note, setNote] = useState(kept?.note ?? false);
  const [query, setQuery] = useState<ShortcutQuery | null>(null);
  const [pick, setPick] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const typing = useMemo(() => new TypingEmitter((t) => c.actions.typing(convId, t)), [c, convId]);

  useEffect(() => () => typing.stop(), [typing]);
  useEffect(() => {
    if (storage && me) saveDraft(storage, me, convId, { text, note });
  }, [convId, text, note, me]);

  const matches = query ? matchCanned(canned, query.prefix) : [];
  const open = matches.length > 0;

  const update = (value: string, caret: number): void => {
    setText(value);
    const q = shortcutAt(value, caret);
    setQuery(q);
    setPick(0);
    if (!note) typing.input(value);
  };

  const choose = (response: CannedResponse): void => {
    if (!query) return;
    const next = expandAt(text, query, response, values);
    setText(next.text);
    setQuery(null);
    if (!note) typing.input(next.text);
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(next.caret, next.caret);
    });
  };

  const send = (): void => {
    const body = (expandWhole(text, canned, values) ?? text).trim();
    if (!body || body.length > MAX) return;
    void c.actions.send(convId, body, note);
    setText("");
    setQuery(null);
    typing.stop();
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.isComposing) return;
    if (open) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        setPick((p) => (p + (e.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length);
        return;
      }
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        choose(matches[Math.min(pick, matches.length - 1)]!);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        setQuery(null);
        return;
      }
    }
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      send();
    }
  };

  const switchMode = (toNote: boolean): void => {
    if (toNote) typing.stop();
    setNote(toNote);
    area.current?.focus();
  };

  const listId = `canned-${convId}`;
  return (
    <div class={`composer${note ? " composer-note" : ""}`}>
      {allowNotes ? (
        <div class="composer-modes" role="group" aria-label="Write">
          <button type="button" class={`mode${!note ? " active" : ""}`} aria-pressed={!note} onClick={() => switchMode(false)}>Reply</button>
          <button type="button" class={`mode${note ? " active" : ""}`} aria-pressed={note} onClick={() => switchMode(true)}>
            <IconLock size={13} /> Internal note
          </button>
        </div>
      ) : null}
      {open ? (
        <ul class="canned-pop" role="listbox" id={listId} aria-label="Canned responses">
          {matches.map((m, i) => (
            <li role="option" id={`${listId}-${i}`} aria-selected={i === pick} class={i === pick ? "active" : ""}
              onMouseDown={(e) => { e.preventDefault(); choose(m); }}>
              <span class="canned-short">/{m.shortcut}</span>
              <span class="canned-text">{m.text}</span>
              {m.scope === "team" ? <span class="chip">{m.team}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <div class="composer-box">
        {/* A combobox on purpose: typing "/" pops up a listbox of canned responses, moved
          * through with the arrow keys (aria-activedescendant) without leaving the text, which
          * is ARIA 1.2's editable combobox with list autocomplete. ARIA in HTML allows the role
          * on <input> only (axe: aria-allowed-role), but a reply has several lines and Enter
          * sends it; without the role a textbox may not carry aria-expanded, and screen readers
          * would not say that the list opened. So the role stays, and the audit's finding with it. */}
        <textarea ref={area} value={text} rows={3} maxLength={MAX}
          aria-label={note ? "Internal note (only agents see it)" : "Reply to the visitor"}
          placeholder={note ? "Write an internal note — the visitor will not see it" : "Type a reply…  / for canned responses"}
          role="combobox" aria-autocomplete="list" aria-expanded={open} aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? `${listId}-${pick}` : undefined}
          onInput={(e) => update(e.currentTarget.value, e.currentTarget.selectionStart ?? e.currentTarget.value.length)}
          onKeyDown={onKeyDown} onBlur={() => setQuery(null)} />
        <div class="composer-bar">
          <span class="hint">Enter to send · Shift+Enter for a new line</span>
          {text.length > MAX - 200 ? <span class="hint">{MAX - text.length} left</span> : null}
          <button type="button" class="btn btn-primary btn-send" onClick={send} disabled={!text.trim()}>
            <IconSend size={15} /> {note ? "Add note" : "Send"}
          </button>
        </div>
      </div>
    </div>
  );
}
