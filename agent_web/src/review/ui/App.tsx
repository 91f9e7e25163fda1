// The review player's frame: sign-in (the console's session), the top bar, and the page for the
// address (recordings, one recording, score summaries, reports, the team's accounts, sites).
import type { JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { IconLogout } from "../../ui/Icons";
import { ReviewApi, ReviewSession } from "../api";
import { BASE, hrefOf, parseRoute, type Route } from "../route";
import { Ctx, isAdmin, isReviewer, isSupervisor, onLinkClick, useReview, type ReviewContext } from "./hooks";
import { ListPage } from "./ListPage";
import { Login } from "./Login";
import { PlayerPage } from "./PlayerPage";
import { ReportsPage } from "./ReportsPage";
import { ShoppersPage } from "./ShoppersPage";
import { SitesPage } from "./SitesPage";
import { SummariesPage } from "./SummariesPage";
import { TeamPage } from "./TeamPage";

function currentRoute(): Route {
  return parseRoute(location.pathname, location.search);
}

export function App({ session }: { session: ReviewSession }): JSX.Element {
  const [stored, setStored] = useState(session.session);
  const [route, setRoute] = useState<Route>(currentRoute);
  const api = useMemo(() => new ReviewApi(session), [session]);

  useEffect(() => session.subscribe(() => setStored(session.session)), [session]);
  useEffect(() => {
    const onPop = () => setRoute(currentRoute());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  const navigate = (href: string, replace = false): void => {
    if (replace) history.replaceState(null, "", href);
    else history.pushState(null, "", href);
    setRoute(currentRoute());
    if (!replace) window.scrollTo(0, 0);
  };

  useEffect(() => {
    document.title = route.page === "recording" ? "Recording — Aisle review"
      : route.page === "summaries" ? "Score summaries — Aisle review"
      : route.page === "reports" ? "Reports — Aisle"
      : route.page === "team" ? "Team — Aisle"
      : route.page === "shoppers" ? "Shoppers' data — Aisle"
      : route.page === "sites" ? "Sites — Aisle" : "Recordings — Aisle review";
  }, [route.page]);

  if (!stored) return <Login session={session} />;
  const ctx: ReviewContext = { api, session, me: stored.agent, navigate };
  return (
    <Ctx.Provider value={ctx}>
      <div class="rv-app">
        <a class="skip" href="#main">Skip to content</a>
        <TopBar route={route} />
        <main id="main" class="rv-main" tabIndex={-1}>
          {route.page === "recording" ? <PlayerPage key={route.id} id={route.id} startAt={route.at} />
            : route.page === "summaries" ? <SummariesPage by={route.by} />
            : route.page === "reports" ? <ReportsPage search={route.search} />
            : route.page === "team" ? <TeamPage />
            : route.page === "shoppers" ? <ShoppersPage />
            : route.page === "sites" ? <SitesPage />
            : <ListPage search={route.search} />}
        </main>
      </div>
    </Ctx.Provider>
  );
}

function TopBar({ route }: { route: Route }): JSX.Element {
  const { me, session, navigate } = useReview();
  const link = onLinkClick(navigate);
  const items: Array<{ href: string; label: string; active: boolean }> = [
    { href: BASE, label: "Recordings", active: route.page === "list" || route.page === "recording" },
    ...(isReviewer(me) ? [{ href: hrefOf({ page: "summaries", by: "agent" }), label: "Score summaries",
                            active: route.page === "summaries" }] : []),
    ...(isSupervisor(me) ? [{ href: hrefOf({ page: "reports", search: "" }), label: "Reports",
                              active: route.page === "reports" },
                            { href: hrefOf({ page: "team" }), label: "Team", active: route.page === "team" },
                            { href: hrefOf({ page: "shoppers" }), label: "Shoppers’ data",
                              active: route.page === "shoppers" }] : []),
    ...(isAdmin(me) ? [{ href: hrefOf({ page: "sites" }), label: "Sites", active: route.page === "sites" }] : []),
  ];
  return (
    <header class="topbar rv-topbar">
      <a class="brand" href={BASE} onClick={link}>
        <span class="brand-mark" aria-hidden="true">A</span> Aisle <span class="rv-brand-sub">Review</span>
      </a>
      <nav class="rv-nav" aria-label="Review">
        {items.map((i) => (
          <a href={i.href} class={`rv-nav-item${i.active ? " active" : ""}`} onClick={link}
            aria-current={i.active ? "page" : undefined}>{i.label}</a>
        ))}
        <a href="/agent/" class="rv-nav-item">Agent console</a>
      </nav>
      <span class="topbar-spacer" />
      <span class="rv-me" data-testid="me">
        <strong>{me.display_name}</strong> <span class="chip">{me.role}</span>
      </span>
      <button type="button" class="btn btn-ghost btn-sm" onClick={() => session.signOut()}>
        <IconLogout size={16} /> Sign out
      </button>
    </header>
  );
}
