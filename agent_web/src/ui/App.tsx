// The console's frame: login when signed out; otherwise top bar, rail, the current view, offers
// and notices on top.
import type { JSX } from "preact";
import { CallDock } from "../call/CallDock";
import {
  isReviewer, isSupervisor, totalUnread, unansweredOffline, type Announcement, type AppState, type Notice,
} from "../state/app";
import { CannedManager } from "./CannedManager";
import { Header } from "./Header";
import { useAppState, useController } from "./hooks";
import { IconClose } from "./Icons";
import { Inbox } from "./Inbox";
import { Login } from "./Login";
import { Nav } from "./Nav";
import { OfferStack } from "./OfferStack";
import { OfflineInbox } from "./OfflineInbox";
import { Profile } from "./Profile";
import { Supervisor } from "./Supervisor";

function Notices({ notices }: { notices: Notice[] }): JSX.Element {
  const c = useController();
  return (
    <div class="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} class={`notice notice-${n.tone}`} role={n.tone === "error" ? "alert" : "status"}>
          <span>{n.text}</span>
          <button type="button" class="icon-btn" aria-label="Dismiss" onClick={() => c.dispatch({ type: "notice_dismiss", id: n.id })}>
            <IconClose size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}

/** Messages in chats out of sight, read once each as they come (the front chat's transcript is a
 * live log of its own). */
function Announcements({ items }: { items: Announcement[] }): JSX.Element {
  return (
    <div class="visually-hidden" aria-live="polite" data-testid="announcements">
      {items.map((a) => <p key={a.id}>{a.text}</p>)}
    </div>
  );
}

function CurrentView({ state }: { state: AppState }): JSX.Element {
  const me = state.me!;
  switch (state.view) {
    case "offline":
      return <OfflineInbox items={state.offline} meId={me.id} />;
    case "supervisor":
      return isSupervisor(me) ? <Supervisor dashboard={state.dashboard} meId={me.id} admin={me.role === "admin"} openTabs={state.tabs} /> : <Inbox state={state} />;
    case "canned":
      return <CannedManager canned={state.canned} me={me} />;
    case "profile":
      return <Profile me={me} />;
    default:
      return <Inbox state={state} />;
  }
}

export function App(): JSX.Element {
  const state = useAppState();
  if (!state.me) return <Login />;
  return (
    <div class="app">
      <a class="skip" href="#main">Skip to content</a>
      <Header me={state.me} connection={state.connection} />
      {state.connection !== "connected" && state.connection !== "connecting" ? (
        <div class="conn-banner" role="status">
          {state.connection === "reconnecting" ? "Connection lost — reconnecting. Nothing you send will be lost." : "Disconnected."}
        </div>
      ) : null}
      <div class="body">
        <Nav view={state.view} unread={totalUnread(state)} offline={unansweredOffline(state)} supervisor={isSupervisor(state.me)}
          reviewer={isReviewer(state.me)} ownRecordings={state.ownRecordings} />
        <main id="main" class="main" tabIndex={-1}>
          <CurrentView state={state} />
        </main>
      </div>
      <OfferStack offers={state.offers} connected={state.connection === "connected"} />
      <CallDock state={state} />
      <Notices notices={state.notices} />
      <Announcements items={state.announcements} />
    </div>
  );
}
