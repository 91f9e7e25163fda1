// The left rail: the console's views, with counts.
import type { JSX } from "preact";
import type { View } from "../state/app";
import { useController } from "./hooks";
import { IconBolt, IconChart, IconChat, IconHistory, IconInbox, IconUser } from "./Icons";

interface Item {
  view: View;
  label: string;
  icon: JSX.Element;
  badge?: number;
}

export function Nav({ view, unread, offline, supervisor, reviewer, ownRecordings }: {
  view: View; unread: number; offline: number; supervisor: boolean; reviewer: boolean;
  /** An agent whose store lets them replay their own conversations, and who has some. */
  ownRecordings: boolean;
}): JSX.Element {
  const c = useController();
  const items: Item[] = [
    { view: "inbox", label: "Chats", icon: <IconChat size={20} />, badge: unread },
    { view: "offline", label: "Offline", icon: <IconInbox size={20} />, badge: offline },
    ...(supervisor ? [{ view: "supervisor" as const, label: "Dashboard", icon: <IconChart size={20} /> }] : []),
    { view: "canned", label: "Canned", icon: <IconBolt size={20} /> },
    { view: "profile", label: "Profile", icon: <IconUser size={20} /> },
  ];
  return (
    <nav class="rail" aria-label="Console">
      {items.map((item) => (
        <button type="button" class={`rail-item${view === item.view ? " active" : ""}`}
          aria-current={view === item.view ? "page" : undefined} data-view={item.view}
          onClick={() => c.dispatch({ type: "view", view: item.view })}>
          {item.icon}
          <span class="rail-label">{item.label}</span>
          {item.badge ? <span class="badge rail-badge" aria-label={`${item.badge} new`}>{item.badge}</span> : null}
        </button>
      ))}
      {reviewer || ownRecordings ? (
        <a class="rail-item" href="/review/" data-view="recordings">
          <IconHistory size={20} />
          <span class="rail-label">{reviewer ? "Recordings" : "My recordings"}</span>
        </a>
      ) : null}
    </nav>
  );
}
