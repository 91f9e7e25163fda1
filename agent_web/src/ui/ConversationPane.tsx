// One conversation: its header and actions (by the agent's role in it), the transcript, who is
// typing, the composer, and the visitor's details beside it.
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { CallButtons, CallPanel } from "../call/CallPanel";
import { CobrowseView } from "../cobrowse/CobrowseView";
import { consoleLink } from "../cobrowse/link";
import { isSupervisor, type AppState } from "../state/app";
import { canWrite, type ConvState, roleIn, type Role, visitorLabel } from "../state/conversation";
import { Composer } from "./Composer";
import { Dialog } from "./Dialog";
import { useController, useTopicLabel } from "./hooks";
import { IconCheck, IconClose, IconEye, IconJoin, IconLock, IconPanel, IconTransfer } from "./Icons";
import { TransferDialog } from "./TransferDialog";
import { Transcript } from "./Transcript";
import { VisitorPanel } from "./VisitorPanel";

const BANNERS: Partial<Record<Role, string>> = {
  observer: "You are observing: the visitor does not see you; the agent sees that you are watching. Join to write.",
};

// The shopper has no inbox and gets no e-mail: the widget shows the answer, live if they are on
// the store, else when they next open it in the same browser (their visitor key lives there).
const OFFLINE_REPLY = "Offline message: the shopper sees your reply in the chat on the store, "
  + "right away if they are on it now, otherwise on their next visit from the same browser.";

function banner(conv: ConvState, role: Role, meId: string): string | null {
  const c = conv.conversation;
  if (conv.mode === "history") return "A past conversation (read-only).";
  if (c.status === "ended") return "This conversation has ended.";
  if (role === "readonly" && c.agent_id !== meId) {
    return c.status === "active" ? "This conversation is now with a colleague (read-only)." : "This conversation is waiting in the queue (read-only).";
  }
  if (role === "offline-team") {
    return c.agent_id === meId ? OFFLINE_REPLY : `${OFFLINE_REPLY} Replying makes it yours.`;
  }
  return BANNERS[role] ?? null;
}

export function ConversationPane({ state, conv, showVisitor, setShowVisitor }: {
  state: AppState; conv: ConvState; showVisitor: boolean; setShowVisitor: (v: boolean) => void;
}): JSX.Element {
  const c = useController();
  const topic = useTopicLabel();
  const me = state.me!;
  const [dialog, setDialog] = useState<"transfer" | "end" | null>(null);
  const [cobrowse, setCobrowse] = useState(conv.conversation.cobrowse !== "off");
  const conversation = conv.conversation;
  const id = conversation.id;
  const details = state.visitors[conversation.visitor_id];
  const name = visitorLabel(conversation, details?.visitor.name);
  const role = roleIn(conv, me.id, isSupervisor(me));
  // Opening it asks the shopper at once, one click: the panel then says it waits (with
  // Cancel); closing it while the shopper has not answered withdraws the question.
  const toggleCobrowse = (): void => {
    setCobrowse(!cobrowse);
    if (role !== "assignee") return;
    if (!cobrowse && conv.conversation.cobrowse === "off") {
      void c.actions.requestCobrowse(conv.conversation.id);
    } else if (cobrowse && conv.conversation.cobrowse === "requested") {
      void c.actions.cancelCobrowse(conv.conversation.id);
    }
  };
  const note = banner(conv, role, me.id);
  const manage = role === "assignee" || role === "supervisor";

  return (
    <div class="conv" role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} data-conversation={id}>
      <div class="conv-main">
        <div class="conv-head">
          <div class="conv-title">
            <h2>{name}</h2>
            <div class="conv-meta">
              <span class={`status-chip st-${conversation.status}`}>{conversation.status}</span>
              <span>{topic(conversation)}</span><span aria-hidden="true">·</span><span>{conversation.team}</span>
              {conv.visitorOnline === false ? <span class="presence presence-off" data-testid="visitor-presence">Visitor disconnected</span>
                : conv.visitorOnline === true ? <span class="presence presence-on" data-testid="visitor-presence">Visitor online</span> : null}
            </div>
          </div>
          <div class="conv-actions">
            <CallButtons conv={conv} role={role} />
            {conversation.status === "active" && role !== "readonly" ? <button type="button" class="btn btn-ghost" aria-pressed={cobrowse}
              data-testid="cobrowse-toggle" onClick={toggleCobrowse}><IconEye size={16} /> Co-browse</button> : null}
            {manage ? <button type="button" class="btn btn-ghost" onClick={() => setDialog("transfer")}><IconTransfer size={16} /> Transfer</button> : null}
            {manage ? <button type="button" class="btn btn-danger-ghost" onClick={() => setDialog("end")}><IconCheck size={16} /> End chat</button> : null}
            {role === "supervisor" ? <button type="button" class="btn btn-ghost" onClick={() => void c.actions.leave(id)}>Leave</button> : null}
            {role === "observer" && conversation.status === "active" ? <>
              <button type="button" class="btn btn-primary" onClick={() => void c.actions.join(id)}><IconJoin size={16} /> Join</button>
              <button type="button" class="btn btn-ghost" onClick={() => void c.actions.leave(id)}><IconEye size={16} /> Stop observing</button>
            </> : null}
            {role === "offline-team" ? <button type="button" class="btn btn-ghost" onClick={() => void c.actions.end(id)}><IconCheck size={16} /> Close message</button> : null}
            {role === "readonly" ? <button type="button" class="btn btn-ghost" data-testid="close-tab" onClick={() => c.actions.close(id)}><IconClose size={16} /> Close tab</button> : null}
            <button type="button" class={`icon-btn${showVisitor ? " active" : ""}`} aria-pressed={showVisitor}
              aria-label="Visitor details" title="Visitor details" onClick={() => setShowVisitor(!showVisitor)}>
              <IconPanel />
            </button>
          </div>
        </div>
        {note ? <div class={`banner${role === "observer" ? " banner-observe" : ""}`} role="note">{role === "observer" ? <IconEye size={15} /> : null}{note}</div> : null}
        <CallPanel conv={conv} role={role} name={name} meId={me.id} />
        {cobrowse && conversation.status === "active" ? (
          <div class="cb-panel"><CobrowseView link={consoleLink(c.connection)} conversation={conversation} events={conv.events}
            me={{ id: me.id, name: me.display_name }} role={role === "assignee" || role === "supervisor" || role === "observer" ? role : "readonly"}
            agentName={(agentId) => state.colleagues?.agents.find((a) => a.id === agentId)?.display_name ?? null} /></div>
        ) : null}
        <Transcript conv={conv} meId={me.id} visitorName={name} label={`Conversation with ${name}`} />
        <div class="typing-line" aria-live="polite">
          {conv.visitorTyping ? <span class="typing" data-testid="visitor-typing"><span class="typing-dots" aria-hidden="true"><i /><i /><i /></span>{name} is typing…</span> : null}
          {conv.agentTyping ? <span class="typing"><IconLock size={12} /> {conv.agentTyping} is typing…</span> : null}
        </div>
        {canWrite(role)
          ? <Composer key={id} convId={id} canned={state.canned}
              values={{ visitor_name: details?.visitor.name ?? conversation.fields.name, visitor_email: details?.visitor.email, agent_name: me.display_name }} />
          : null}
      </div>
      {showVisitor ? (
        <VisitorPanel visitorId={conversation.visitor_id} currentId={id} details={details} fallbackName={name}
          online={conv.visitorOnline} onClose={() => setShowVisitor(false)} />
      ) : null}
      {dialog === "transfer" ? (
        <TransferDialog convId={id} team={conversation.team} colleagues={state.colleagues} meId={me.id} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === "end" ? (
        <Dialog title="End this conversation?" onClose={() => setDialog(null)} footer={<>
          <button type="button" class="btn btn-ghost" onClick={() => setDialog(null)}>Cancel</button>
          <button type="button" class="btn btn-danger" data-autofocus onClick={() => { setDialog(null); void c.actions.end(id); }}>End conversation</button>
        </>}>
          <p>{name} will be told the chat has ended and may rate it. You can still read it afterwards.</p>
        </Dialog>
      ) : null}
    </div>
  );
}
