// Reports: what happened to the conversations of the last 7, 30 or 90 days (answered, abandoned,
// left as messages), how long shoppers waited and agents took, CSAT, per agent and per day —
// for all teams or one, with days cut in the supervisor's time zone or one chosen (kept in the
// address, so a shared link shows the same days).
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { explain, saveBlob } from "../api";
import { hrefOf } from "../route";
import { choiceSearch, formatDuration, parseChoice, PERIODS, reportCsv, reportQuery, share, validRange,
         zones, type ReportChoice } from "../reports";
import type { Durations, Report } from "../types";
import { onLinkClick, useReview } from "./hooks";

const TZ = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

function Figure({ label, value, detail, testId }: {
  label: string; value: string; detail?: string; testId: string;
}): JSX.Element {
  return (
    <div class="rp-figure" data-testid={testId}>
      <span class="rp-label">{label}</span>
      <span class="rp-value">{value}</span>
      {detail ? <span class="rp-detail muted">{detail}</span> : null}
    </div>
  );
}

function timing(d: Durations): { value: string; detail: string } {
  return { value: formatDuration(d.median_s),
           detail: d.count ? `median of ${d.count} · 90 % within ${formatDuration(d.p90_s)}` : "none yet" };
}

export function ReportsPage({ search }: { search: string }): JSX.Element {
  const { api, navigate } = useReview();
  const choice = parseChoice(search);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setReport(null);
    setError(null);
    api.report(reportQuery(choice, choice.tz ?? TZ, new Date()))
      .then((r) => { if (live) setReport(r); })
      .catch((err: unknown) => {
        if (live) setError(explain(err, "Not allowed: reports are for supervisors and admins."));
      });
    return () => { live = false; };
  }, [choice.days, choice.team, choice.range?.from, choice.range?.to, choice.tz]);
  const [from, setFrom] = useState(choice.range?.from ?? "");
  const [to, setTo] = useState(choice.range?.to ?? "");

  const link = onLinkClick(navigate);
  const go = (next: ReportChoice) => navigate(hrefOf({ page: "reports", search: choiceSearch(next) }), true);
  const t = report?.totals;
  const busiest = report ? Math.max(1, ...report.days.map((d) => d.started)) : 1;
  return (
    <div class="rv-page">
      <div class="rv-page-head">
        <h1>Reports</h1>
        <div class="rp-controls">
          <nav class="rv-seg" aria-label="Period">
            {PERIODS.map((days) => {
              const current = !choice.range && choice.days === days;
              return (
                <a key={days} href={hrefOf({ page: "reports", search: choiceSearch({ ...choice, days, range: null }) })}
                  onClick={link} class={`rv-seg-item${current ? " active" : ""}`}
                  aria-current={current ? "page" : undefined}>Last {days} days</a>
              );
            })}
          </nav>
          <form class="rp-range" data-testid="report-range" onSubmit={(e) => {
            e.preventDefault();
            if (validRange(from, to)) go({ ...choice, range: { from, to } });
          }}>
            <label><span class="visually-hidden">From</span>
              <input type="date" value={from} max={to || undefined} aria-label="From"
                onInput={(e) => setFrom(e.currentTarget.value)} /></label>
            <span aria-hidden="true">–</span>
            <label><span class="visually-hidden">To</span>
              <input type="date" value={to} min={from || undefined} aria-label="To"
                onInput={(e) => setTo(e.currentTarget.value)} /></label>
            <button type="submit" class={`btn btn-sm ${choice.range ? "btn-primary" : "btn-ghost"}`}
              disabled={!validRange(from, to)}>Show</button>
          </form>
          <label class="rp-team">
            <span class="visually-hidden">Team</span>
            <select data-testid="report-team" value={choice.team ?? ""}
              onChange={(e) => go({ ...choice, team: (e.currentTarget as HTMLSelectElement).value || null })}>
              <option value="">All teams</option>
              {(report?.teams ?? (choice.team ? [choice.team] : [])).map((team) => (
                <option key={team} value={team}>{team}</option>
              ))}
            </select>
          </label>
          <label class="rp-team">
            <span class="visually-hidden">Days in the time zone</span>
            <select data-testid="report-tz" value={choice.tz ?? TZ} title="Days are cut at midnight in this time zone"
              onChange={(e) => {
                const tz = (e.currentTarget as HTMLSelectElement).value;
                go({ ...choice, tz: tz === TZ ? undefined : tz });
              }}>
              {zones(TZ).map((zone) => <option key={zone} value={zone}>{zone === TZ ? `${zone} (yours)` : zone}</option>)}
            </select>
          </label>
          <button type="button" class="btn btn-ghost btn-sm" data-testid="report-csv" disabled={!report}
            onClick={() => report && saveBlob(new Blob([reportCsv(report)], { type: "text/csv" }),
              `aisle-report-${report.from_date}-${report.to_date}${report.team ? `-${report.team}` : ""}.csv`)}>
            Download CSV</button>
        </div>
      </div>
      {error ? <p class="form-error" role="alert">{error}</p> : null}
      {!report && !error ? <p class="boot" role="status">Loading…</p> : null}
      {report && t ? (
        <>
          <p class="muted rp-period">
            {report.from_date} to {report.to_date} ({report.tz}){report.team ? `, team ${report.team}` : ", all teams"}
          </p>
          <section class="rp-grid" aria-label="Conversations">
            <Figure testId="fig-started" label="Conversations" value={String(t.started)}
              detail={t.waiting ? `${t.waiting} waiting now` : undefined} />
            <Figure testId="fig-answered" label="Answered" value={String(t.answered)}
              detail={share(t.answered, t.started)} />
            <Figure testId="fig-abandoned" label="Abandoned" value={String(t.abandoned)}
              detail={t.abandoned ? `${share(t.abandoned, t.started)} · gave up after ${formatDuration(report.abandoned_after.median_s)}` : share(0, t.started)} />
            <Figure testId="fig-offline" label="Left a message" value={String(t.offline)}
              detail={t.offline
                ? `${t.offline_answered} replied to${t.offline_answered ? `, after ${formatDuration(report.offline_reply.median_s)} (median)` : ""}`
                : "nobody was available"} />
            <Figure testId="fig-transfers" label="Transfers" value={String(t.transfers)} />
          </section>
          <section class="rp-grid" aria-label="Times">
            <Figure testId="fig-wait" label="Wait to be answered" {...timing(report.wait)} />
            <Figure testId="fig-first-response" label="First response after pick-up" {...timing(report.first_response)} />
            <Figure testId="fig-first-reply" label="First reply from the start" {...timing(report.first_reply_from_start)} />
            <Figure testId="fig-handle" label="Handle time" {...timing(report.handle)} />
            <Figure testId="fig-csat" label="CSAT (4 or 5 of 5)"
              value={report.csat.satisfied_ratio === null ? "—" : share(report.csat.satisfied_ratio, 1)}
              detail={report.csat.responses
                ? `${report.csat.responses} rating${report.csat.responses === 1 ? "" : "s"} · average ${report.csat.average?.toFixed(1)} · ${share(report.csat.response_ratio ?? 0, 1)} of ended chats rated`
                : "no ratings yet"} />
          </section>
          <section class="rp-grid" aria-label="Agents' time">
            <Figure testId="fig-occupancy" label="Occupancy"
              value={report.time.occupancy === null ? "—" : share(report.time.occupancy, 1)}
              detail={report.time.occupancy === null ? "nobody was online"
                : `${formatDuration(report.time.busy_s)} with chats, ${formatDuration(report.time.idle_s)} online without`} />
            <Figure testId="fig-concurrency" label="Chats at once"
              value={report.time.chats_at_once === null ? "—" : report.time.chats_at_once.toFixed(1)}
              detail="on average, while an agent had any" />
            <Figure testId="fig-online" label="Online" value={formatDuration(report.time.online_s)}
              detail={`and ${formatDuration(report.time.away_s)} away`} />
          </section>
          {report.team ? <p class="muted small" data-testid="time-members">Agents’ time counts the team’s members as they are now, all of their time.</p> : null}
          {report.agents.length ? (
            <>
              <h2 class="rv-subhead">Agents</h2>
              <div class="card rv-table-wrap">
                <table class="table" data-testid="report-agents">
                  <caption class="visually-hidden">Figures per agent</caption>
                  <thead><tr>
                    <th scope="col">Agent</th><th scope="col">Answered</th><th scope="col">Messages replied to</th>
                    <th scope="col">First response</th>
                    <th scope="col">Handle time</th><th scope="col">CSAT average</th>
                    <th scope="col">Online</th><th scope="col">Occupancy</th><th scope="col">Chats at once</th>
                  </tr></thead>
                  <tbody>
                    {report.agents.map((a) => (
                      <tr key={a.agent_id}>
                        <th scope="row">{a.name}</th>
                        <td>{a.answered}</td>
                        <td>{a.offline_answered}</td>
                        <td>{formatDuration(a.first_response.median_s)}</td>
                        <td>{formatDuration(a.handle.median_s)}</td>
                        <td>{a.csat_average === null ? "—" : `${a.csat_average.toFixed(1)} (${a.csat_responses})`}</td>
                        <td title={`and ${formatDuration(a.time.away_s)} away`}>{formatDuration(a.time.online_s)}</td>
                        <td>{a.time.occupancy === null ? "—" : share(a.time.occupancy, 1)}</td>
                        <td>{a.time.chats_at_once === null ? "—" : a.time.chats_at_once.toFixed(1)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
          {t.started === 0 ? (
            <div class="rv-empty" role="status"><h2>No conversations in this period</h2>
              <p class="muted">Figures appear as shoppers start chats.</p></div>
          ) : (
            <>
              <h2 class="rv-subhead">Day by day</h2>
              <div class="card rv-table-wrap">
                <table class="table" data-testid="report-days">
                  <caption class="visually-hidden">Conversations per day</caption>
                  <thead><tr>
                    <th scope="col">Day</th><th scope="col">Conversations</th><th scope="col">Answered</th>
                    <th scope="col">Abandoned</th><th scope="col">Left a message</th>
                  </tr></thead>
                  <tbody>
                    {[...report.days].reverse().map((d) => (
                      <tr key={d.date}>
                        <th scope="row">{d.date}</th>
                        <td><span class="rv-meter" aria-hidden="true"><span style={{ width: `${(d.started / busiest) * 100}%` }} /></span>{d.started}</td>
                        <td>{d.answered}</td><td>{d.abandoned}</td><td>{d.offline}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      ) : null}
    </div>
  );
}
