"""Reports through the real server: conversations answered, abandoned, left as messages and
still waiting, made by real clients, come back as the figures a supervisor reads; a team filter
narrows them; agents and bad periods are refused with a reason."""

from __future__ import annotations

from datetime import date, timedelta

from tests.integration.flows import gone, send, start
from tests.integration.harness import Server
from tests.integration.test_review import api


async def test_figures_of_real_conversations(server: Server) -> None:
    # Nobody online: a message is left.
    offline_widget, offline_session = await server.visitor()
    offline = await start(offline_widget, message="Is the blue mug back in stock?")
    assert offline["status"] == "offline"
    await offline_widget.close()
    await gone(server, offline_session["visitor_id"])

    alex = await server.add_agent("alex", teams=("support",), max_concurrent=5)
    console = await server.agent_client(alex)
    # Alex replies to it from the inbox: still a message left, now replied to.
    await send(console, offline["id"], "It is, since this morning.")

    bea = await server.add_agent("bea", teams=("sales",))
    bea_console = await server.agent_client(bea)

    async def answered(rating: int, transfer: bool = False) -> None:
        widget, _ = await server.visitor()
        conv = await start(widget)
        await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == conv["id"])
        await console.call("accept_offer", {"conversation_id": conv["id"]})
        await send(console, conv["id"], "Hello, I can help.")
        await send(widget, conv["id"], "Thanks!")
        ending = console
        if transfer:  # to Bea, who ends it: answered by Alex, its rating Bea's; one transfer
            await console.call("transfer", {"conversation_id": conv["id"], "to_agent_id": bea.id})
            await bea_console.wait_for("offer_received",
                                       lambda d: d["conversation"]["id"] == conv["id"])
            await bea_console.call("accept_offer", {"conversation_id": conv["id"]})
            ending = bea_console
        await ending.call("end_conversation", {"conversation_id": conv["id"]})
        await widget.call("rate_conversation", {"conversation_id": conv["id"], "rating": rating})

    await answered(5)
    await answered(2, transfer=True)
    # Offered, never accepted: the shopper gives up; another is still waiting.
    quitter, _ = await server.visitor()
    gave_up = await start(quitter)
    await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == gave_up["id"])
    await quitter.call("leave_conversation", {"conversation_id": gave_up["id"]})
    patient, _ = await server.visitor()
    await start(patient)

    boss = await server.add_agent("boss", role="supervisor", teams=())
    report = await api(server, boss, "GET", "/api/v1/reports?tz=Europe/Paris")
    assert report["tz"] == "Europe/Paris" and report["team"] is None
    assert set(report["teams"]) == {"sales", "support", "billing"}
    assert len(report["days"]) == 7 and report["to_date"] == report["days"][-1]["date"]
    assert report["totals"] == {"started": 5, "answered": 2, "abandoned": 1, "offline": 1,
                                "offline_answered": 1, "waiting": 1, "transfers": 1}
    assert report["offline_reply"]["count"] == 1 and report["offline_reply"]["median_s"] >= 0
    assert report["csat"] == {"responses": 2, "satisfied_ratio": 0.5, "average": 3.5,
                              "response_ratio": 1.0, "distribution": [0, 1, 0, 0, 1]}
    for key in ("wait", "first_response", "handle"):
        assert report[key]["count"] == 2 and report[key]["median_s"] >= 0, key
    assert report["abandoned_after"]["count"] == 1
    assert [(a["name"], a["answered"], a["offline_answered"], a["csat_responses"],
             a["csat_average"]) for a in report["agents"]] == [("Alex", 2, 1, 1, 5.0),
                                                               ("Bea", 0, 0, 1, 2.0)]
    assert report["first_response"]["count"] == 2  # the reply to the message is timed apart
    # Both first responses are Alex's (he took both first), measured from his taking them.
    assert [a["first_response"]["count"] for a in report["agents"]] == [2, 0]
    # Per day (in Paris): the same counts, on the day or two this test spanned.
    for key, total in (("started", 5), ("answered", 2), ("abandoned", 1), ("offline", 1)):
        assert sum(d[key] for d in report["days"]) == total, key
    assert sum(d["started"] for d in report["days"][-2:]) == 5

    # Another team, another period: nothing.
    billing = await api(server, boss, "GET", "/api/v1/reports?team=billing")
    assert billing["totals"]["started"] == 0 and billing["agents"] == []
    last_year = (date.today() - timedelta(days=400)).isoformat()
    old = await api(server, boss, "GET", f"/api/v1/reports?from={last_year}&to={last_year}")
    assert old["totals"]["started"] == 0 and len(old["days"]) == 1


async def test_reports_are_for_supervisors_and_periods_are_checked(server: Server) -> None:
    alex = await server.add_agent("alex", teams=("support",))
    boss = await server.add_agent("boss", role="supervisor", teams=())
    refused = await api(server, alex, "GET", "/api/v1/reports", expect=403)
    assert refused["error"]["code"] == "forbidden"
    async with server.http.get(server.url + "/api/v1/reports") as resp:
        assert resp.status == 401
    for query, words in [("from=2026-05-02&to=2026-05-01", "from is after to"),
                         ("from=2024-01-01&to=2026-01-01", "at most 366 days"),
                         ("from=yesterday", "YYYY-MM-DD"),
                         ("tz=Mars/Olympus", "unknown time zone"),
                         ("team=suport", "no team 'suport'"),
                         ("from=9999-12-25&to=9999-12-31&tz=America/Los_Angeles",
                          "between 1970 and 9000")]:
        bad = await api(server, boss, "GET", f"/api/v1/reports?{query}", expect=400)
        assert words in bad["error"]["message"], (query, bad)
    # The server is fine after all that.
    assert (await api(server, boss, "GET", "/api/v1/reports"))["totals"]["started"] == 0
