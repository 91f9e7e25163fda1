"""The Team page in a real browser: a supervisor adds an agent, who signs in to the console
with the password shown once; the supervisor moves them to another team, then disables the
account, and the agent's open console is signed out at once and cannot sign in again."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from playwright.async_api import expect

from tests.e2e.conftest import ContextFactory, screenshot
from tests.e2e.test_console import watch_errors
from tests.e2e.test_review import sign_in
from tests.integration.flows import start
from tests.integration.harness import Agent, Server

pytestmark = pytest.mark.browser


async def test_a_supervisor_adds_moves_and_disables_an_agent(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    boss = await server.add_agent("boss", role="supervisor", teams=())
    admin = await server.add_agent("root", role="admin", teams=())
    page = await (await new_context()).new_page()
    errors = watch_errors(page)
    await sign_in(page, server, boss)
    await page.get_by_role("link", name="Team").click()
    await expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
    accounts = page.get_by_test_id("accounts")
    # An admin's account is not the supervisor's to change.
    await expect(accounts.locator("tr[data-login=root]")).to_contain_text(
        "An admin manages this account")

    form = page.get_by_role("form", name="Add an agent")
    await form.get_by_label("Login").fill("kim")
    await form.get_by_label("Name shoppers see").fill("Kim Lee")
    await form.get_by_label("Chats at once").fill("4")
    await form.get_by_role("checkbox", name="billing").check()
    # Supervisors cannot make supervisors: the role list stops at trainer.
    assert await form.get_by_label("Role").locator("option").all_inner_texts() == [
        "Agent", "Trainer"]
    await form.get_by_role("button", name="Add agent").click()
    notice = page.get_by_test_id("password-notice")
    await expect(notice).to_contain_text("Kim Lee signs in at")
    password = await page.get_by_test_id("new-password").inner_text()
    row = accounts.locator("tr[data-login=kim]")
    await expect(row).to_contain_text("billing")
    await expect(row).to_contain_text("4")
    await screenshot(page, "team-added")
    await notice.get_by_role("button", name="Done").click()

    # Kim signs in to the console with it.
    kim_page = await (await new_context()).new_page()
    kim_errors = watch_errors(kim_page)
    await kim_page.goto(server.url + "/agent/")
    await kim_page.fill("#login-name", "kim")
    await kim_page.fill("#login-password", password)
    await kim_page.click("button[type=submit]")
    await expect(kim_page.get_by_test_id("connection")).to_have_text("Connected")
    await expect(row).to_contain_text("Signed in", timeout=15_000)  # no reload: it reads again

    # Moved to support.
    await row.get_by_role("button", name="Edit").click()
    editor = page.get_by_role("form", name="Edit Kim Lee")
    await editor.get_by_role("checkbox", name="billing").uncheck()
    await editor.get_by_role("checkbox", name="support").check()
    await editor.get_by_role("button", name="Save").click()
    await expect(editor).to_be_hidden()
    await expect(row.locator("td").nth(1)).to_have_text("support")
    record = await server.aisle.store.agents.get_by_login("kim")
    assert record is not None and record.teams == ("support",)

    # Disabled: Kim's console is signed out at once and says why.
    await row.get_by_role("button", name="Disable").click()
    await page.get_by_role("alertdialog").get_by_role("button", name="Disable").click()
    await expect(row).to_contain_text("Disabled")
    await expect(kim_page.get_by_role("alert")).to_contain_text("Your account has been disabled")
    await kim_page.fill("#login-name", "kim")
    await kim_page.fill("#login-password", password)
    await kim_page.click("button[type=submit]")
    await expect(kim_page.get_by_role("alert")).to_contain_text("disabled")
    await screenshot(kim_page, "team-disabled-console")

    # An admin resets the supervisor's password: the supervisor's page is signed out.
    admin_page = await (await new_context()).new_page()
    await sign_in(admin_page, server, admin, "/review/team")
    await admin_page.get_by_test_id("accounts").locator("tr[data-login=boss]").get_by_role(
        "button", name="Reset password").click()
    await admin_page.get_by_role("alertdialog").get_by_role(
        "button", name="Reset password").click()
    new_password = await admin_page.get_by_test_id("new-password").inner_text()
    assert new_password
    await page.reload()
    await expect(page.get_by_role("heading", name="Sign in to review recordings")).to_be_visible()
    await sign_in(page, server, Agent(boss.id, boss.login, new_password, ""), "/review/team")
    await expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
    # A 1024 px window: the page does not scroll sideways, the top bar keeps "Sign out".
    await page.set_viewport_size({"width": 1024, "height": 768})
    assert await page.evaluate("document.documentElement.scrollWidth") <= 1024
    await expect(page.get_by_role("button", name="Sign out")).to_be_in_viewport()
    # The refusals above are the only failed requests (the browser logs them as errors).
    unexpected = [e for e in errors + kim_errors
                  if not e.startswith("Failed to load resource: the server responded with a "
                                      "status of 40")]
    assert unexpected == [], unexpected


async def test_a_supervisor_answers_a_shoppers_data_request(
        e2e_server: Server, new_context: ContextFactory) -> None:
    """Found by the address they gave, downloaded as JSON, then erased for good."""
    server = e2e_server
    widget, session = await server.visitor()
    await widget.call("identify", {"name": "Dana K", "email": "dana@example.com"})
    await start(widget, message="Please forget me after this")
    boss = await server.add_agent("boss", role="supervisor", teams=())
    page = await (await new_context(accept_downloads=True)).new_page()
    errors = watch_errors(page)
    await sign_in(page, server, boss)
    await page.get_by_role("link", name="Shoppers’ data").click()
    await page.get_by_label("Email address").fill("DANA@example.com")
    await page.get_by_role("button", name="Find").click()
    row = page.get_by_test_id("shoppers").locator(f"tr[data-visitor={session['visitor_id']}]")
    await expect(row).to_contain_text("Dana K")
    async with page.expect_download() as download_info:
        await row.get_by_role("button", name="Download data").click()
    download = await download_info.value
    body = json.loads(await asyncio.to_thread(Path(await download.path()).read_text))
    assert body["visitor"]["email"] == "dana@example.com"
    assert "Please forget me after this" in json.dumps(body["conversations"])
    await screenshot(page, "review-shoppers")
    await row.get_by_role("button", name="Erase…").click()
    await expect(page.get_by_test_id("erase-warning")).to_contain_text("scores and annotations")
    await row.get_by_role("button", name="Erase for good").click()
    await expect(page.get_by_test_id("shopper-done")).to_contain_text("Erased: 1 conversation")
    assert await server.aisle.store.visitors.get(session["visitor_id"]) is None
    assert errors == []
    # An admin reads who did it in the audit log, on the same page.
    root = await server.add_agent("root", role="admin", teams=())
    admin_page = await (await new_context()).new_page()
    await sign_in(admin_page, server, root, "/review/shoppers")
    audit = admin_page.get_by_test_id("audit")
    await expect(audit.locator("tr", has_text="erased a shopper's data")).to_contain_text("boss")
    await expect(audit).to_contain_text("downloaded a shopper's data")
    await expect(page.get_by_test_id("audit")).to_have_count(0)  # (the supervisor's page)
