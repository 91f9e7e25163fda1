"""Reports in a real browser: a supervisor goes from the console's live dashboard to the
figures of conversations real clients had (answered and rated, left as a message), narrows them
to a team and to another period; the choices live in the address; trainers see no reports."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import expect

from tests.e2e.conftest import ContextFactory, screenshot
from tests.e2e.test_console import nav, open_console, watch_errors
from tests.e2e.test_review import sign_in
from tests.integration.flows import gone, send, start
from tests.integration.harness import Server

pytestmark = pytest.mark.browser




async def test_supervisor_reads_the_figures(e2e_server: Server,
                                            new_context: ContextFactory) -> None:
    server = e2e_server
    left, session = await server.visitor()
    assert (await start(left, message="Do you ship to Norway?"))["status"] == "offline"
    await left.close()  # the shopper has gone when Alex answers
    await gone(server, session["visitor_id"])
    alex = await server.add_agent("alex", teams=("support",))
    console = await server.agent_client(alex)
    await send(console, (await console.call("list_offline", {}))["conversations"][0]["id"],
               "Yes, to all of Norway.")
    widget, _ = await server.visitor()
    conv = await start(widget)
    await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == conv["id"])
    await console.call("accept_offer", {"conversation_id": conv["id"]})
    await send(console, conv["id"], "Hi, how can I help?")
    await console.call("end_conversation", {"conversation_id": conv["id"]})
    await widget.call("rate_conversation", {"conversation_id": conv["id"], "rating": 5})

    boss = await server.add_agent("boss", role="supervisor", teams=())
    page, errors = await open_console(new_context, server, boss, accept_downloads=True)
    await nav(page, "Dashboard").click()
    await page.get_by_test_id("reports-link").click()
    await page.wait_for_url(re.compile(r"/review/reports$"))
    if await page.get_by_role("heading", name="Sign in to review recordings").is_visible():
        await page.fill("#login-name", boss.login)
        await page.fill("#login-password", boss.password)
        await page.click("button[type=submit]")
    await expect(page.get_by_role("heading", name="Reports")).to_be_visible()
    await expect(page.get_by_test_id("fig-started")).to_contain_text("2")
    await expect(page.get_by_test_id("fig-answered")).to_contain_text("1")
    await expect(page.get_by_test_id("fig-answered")).to_contain_text("50 %")
    await expect(page.get_by_test_id("fig-offline")).to_contain_text("1 replied to, after")
    await expect(page.get_by_test_id("fig-csat")).to_contain_text("100 %")
    await expect(page.get_by_test_id("fig-first-response")).to_contain_text("median of 1")
    await expect(page.get_by_test_id("report-agents")).to_contain_text("Alex")
    await expect(page.get_by_test_id("report-agents")).to_contain_text("5.0 (1)")
    await expect(page.get_by_test_id("report-days").locator("tbody tr")).to_have_count(7)
    # Alex's time signed in: online since his console connected, one chat at a time.
    await expect(page.get_by_test_id("fig-occupancy")).to_contain_text(re.compile(r"\d+ %"))
    await expect(page.get_by_test_id("fig-concurrency")).to_contain_text("1.0")
    await expect(page.get_by_test_id("report-agents").locator("tbody tr").first).to_contain_text(
        re.compile(r"\d+ %"))
    await screenshot(page, "reports")
    # The same figures for a spreadsheet.
    async with page.expect_download() as download_info:
        await page.get_by_test_id("report-csv").click()
    download = await download_info.value
    assert re.fullmatch(r"aisle-report-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv",
                        download.suggested_filename)
    data = await asyncio.to_thread(Path(await download.path()).read_bytes)
    csv = data.decode().split("\r\n")
    assert "conversations,2,," in csv and "left a message,1,," in csv
    assert any(line.startswith("messages replied to,1,") for line in csv), csv
    assert any(line.startswith("Alex,1,1,") for line in csv), csv  # answered 1, replied to 1
    assert any(line.startswith("occupancy,0") for line in csv), csv

    # One team, then another period: the address keeps both, a reload shows the same.
    await page.get_by_test_id("report-team").select_option("billing")
    await page.wait_for_url(re.compile(r"/review/reports\?team=billing$"))
    await expect(page.get_by_test_id("fig-started")).to_contain_text("0")
    await expect(page.get_by_text("No conversations in this period")).to_be_visible()
    await expect(page.get_by_test_id("fig-occupancy")).to_contain_text("nobody was online")
    await page.get_by_role("link", name="Last 30 days").click()
    await page.wait_for_url(re.compile(r"/review/reports\?days=30&team=billing$"))
    await expect(page.get_by_test_id("report-days")).to_have_count(0)
    await page.reload()
    await expect(page.get_by_test_id("report-team")).to_have_value("billing")
    await expect(page.get_by_role("link", name="Last 30 days")).to_have_attribute(
        "aria-current", "page")
    await page.get_by_test_id("report-team").select_option("")
    await expect(page.get_by_test_id("report-days").locator("tbody tr")).to_have_count(30)
    # A range of the lead's choosing (the first ten days of the month before, say).
    today = datetime.now().astimezone().date()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    chosen = page.get_by_test_id("report-range")
    await chosen.get_by_label("From").fill(first.isoformat())
    await chosen.get_by_label("To").fill((first + timedelta(days=9)).isoformat())
    await chosen.get_by_role("button", name="Show").click()
    await page.wait_for_url(re.compile(
        rf"/review/reports\?from={first.isoformat()}&to={(first + timedelta(days=9)).isoformat()}"))
    await expect(page.locator(".rp-period")).to_contain_text(
        f"{first.isoformat()} to {(first + timedelta(days=9)).isoformat()}")
    await expect(page.get_by_text("No conversations in this period")).to_be_visible()
    await expect(page.get_by_role("link", name="Last 30 days")).not_to_have_attribute(
        "aria-current", "page")
    # Days cut in another time zone (a colleague abroad): kept in the address for a link.
    await page.get_by_test_id("report-tz").select_option("Asia/Kabul")
    await page.wait_for_url(re.compile(r"tz=Asia%2FKabul"))
    await expect(page.locator(".rp-period")).to_contain_text("(Asia/Kabul)")
    await page.reload()
    await expect(page.get_by_test_id("report-tz")).to_have_value("Asia/Kabul")
    assert not errors, errors

    # Trainers review recordings but read no reports.
    trainer = await server.add_agent("trainer", role="trainer", teams=())
    other = await (await new_context()).new_page()
    other_errors = watch_errors(other)
    await sign_in(other, server, trainer)
    review_nav = other.get_by_role("navigation", name="Review")
    await expect(review_nav.get_by_role("link", name="Score summaries")).to_be_visible()
    await expect(review_nav.get_by_role("link", name="Reports")).to_have_count(0)
    await other.goto(server.url + "/review/reports")
    await expect(other.get_by_role("alert")).to_contain_text(
        "reports are for supervisors and admins")
    assert not [e for e in other_errors if "403" not in e], other_errors
