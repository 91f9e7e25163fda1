"""The review pages for keyboard and screen-reader users, in Chromium against a real server: a
refused form keeps the focus on the field it is about (marked and described), the player puts the
focus on the recording it opened, and key texts reach AA contrast."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from tests.e2e.conftest import ContextFactory
from tests.e2e.test_console import watch_errors
from tests.e2e.test_console_a11y import assert_contrast
from tests.e2e.test_review import sign_in
from tests.integration.flows import accepted_chat, send
from tests.integration.harness import Server

pytestmark = pytest.mark.browser

REFUSED = "Failed to load resource: the server responded with a status of 40"


async def test_a_taken_login_is_said_beside_the_login_field(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    boss = await server.add_agent("boss", role="supervisor", teams=())
    await server.add_agent("kim", teams=("support",))
    page = await (await new_context()).new_page()
    errors = watch_errors(page)
    await sign_in(page, server, boss, "/review/team")
    form = page.get_by_role("form", name="Add an agent")
    login = form.locator("input[name=login]")
    await login.fill("Kim")
    await form.get_by_label("Name shoppers see").fill("Kim Two")
    add = form.get_by_role("button", name="Add agent")
    await add.click()
    await expect(login).to_be_focused()
    await expect(login).to_have_attribute("aria-invalid", "true")
    await expect(login).to_have_accessible_description(re.compile("the login 'Kim' is taken"))
    # In the form, beside the field; not at the top of the page.
    await expect(page.locator(".rv-page > .form-error")).to_have_count(0)
    await assert_contrast(form.locator(".field-error"))
    await login.fill("kim2")
    await expect(login).not_to_have_attribute("aria-invalid", "true")
    await add.click()
    await expect(page.get_by_test_id("password-notice")).to_contain_text("Kim Two signs in at")
    await expect(add).to_be_focused()  # not dropped to the page while it was saving
    # The accounts' logins under their names, and an error said at the top of the form.
    await assert_contrast(page.locator("th[scope=row] > .small.muted"))
    team = page.get_by_role("form", name="Add a team")
    await team.get_by_label("Team name").fill("support")
    await team.get_by_role("button", name="Add team").click()
    name = team.locator("input[name=team]")
    await expect(name).to_be_focused()
    await expect(name).to_have_accessible_description(re.compile("the team 'support' exists"))
    unexpected = [e for e in errors if not e.startswith(REFUSED)]
    assert unexpected == [], unexpected


async def test_a_bad_origin_is_said_beside_the_origins(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    admin = await server.add_agent("root", role="admin", teams=())
    page = await (await new_context()).new_page()
    errors = watch_errors(page)
    await sign_in(page, server, admin, "/review/sites")

    add = page.get_by_role("form", name="Add a site")
    await add.get_by_label("Store name").fill("Harbour Goods")
    origins = add.locator("textarea[name=origins]")
    await origins.fill("harbour dot example")
    await add.get_by_role("button", name="Add site").click()
    await expect(origins).to_be_focused()
    await expect(origins).to_have_attribute("aria-invalid", "true")
    await expect(origins).to_have_accessible_description(
        re.compile("bad origin 'harbour dot example'"))
    await expect(add.get_by_role("alert")).to_have_count(0)

    # The editor: the same, and the page stays at the form rather than scrolling away.
    row = page.get_by_test_id("sites").locator("tr[data-key=demo]")
    await row.get_by_role("button", name="Edit Test store").click()
    form = page.get_by_role("form", name="Edit Test store")
    await assert_contrast(page.locator("tr.rv-selected th[scope=row] > .small.muted"))
    edited = form.locator("textarea[name=origins]")
    await edited.fill("https://shop.example/path?x=1\nnot an origin")
    await form.get_by_role("button", name="Save").click()
    await expect(edited).to_be_focused()
    await expect(edited).to_have_attribute("aria-invalid", "true")
    await expect(edited).to_have_accessible_description(re.compile(r"bad origin .*shop\.example"))
    await expect(edited).to_be_in_viewport()
    demo = await server.aisle.store.sites.get_by_key("demo")
    assert demo is not None and "not an origin" not in demo.allowed_origins

    # Refused elsewhere than a field: said under the form, the Save button keeps the focus.
    await edited.fill("https://shop.example")
    await form.get_by_label("Topic 1 ID").fill("")
    await form.get_by_label("Topic 1 ID").fill("x y")
    save = form.get_by_role("button", name="Save")
    await save.focus()
    await page.evaluate("() => document.querySelector('.rv-site-form').noValidate = true")
    await page.keyboard.press("Enter")
    await expect(form.get_by_role("alert")).to_contain_text("Not saved")
    await expect(save).to_be_focused()
    await expect(edited).not_to_have_attribute("aria-invalid", "true")
    await assert_contrast(form.locator(".form-error"))
    unexpected = [e for e in errors if not e.startswith(REFUSED)]
    assert unexpected == [], unexpected


async def test_an_opened_recording_has_the_focus_on_its_title(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    boss = await server.add_agent("boss", role="supervisor", teams=())
    widget, console, conv, _ = await accepted_chat(server)
    await send(widget, conv["id"], "Is the blue teapot in stock?")
    await send(console, conv["id"], "It is, yes.")
    await console.call("end_conversation", {"conversation_id": conv["id"]})
    page = await (await new_context()).new_page()
    errors = watch_errors(page)
    await sign_in(page, server, boss)
    await page.locator(f"a[href*='{conv['id']}']").first.click()
    title = page.get_by_test_id("recording-title")
    await expect(title).to_be_focused()
    assert await title.evaluate("el => el.tagName") == "H1"
    # The cover over a replay with no co-browsing, and the times of the transcript's lines,
    # the current one on the accent's pale background too.
    await assert_contrast(page.locator(".rv-cover > p"))
    await page.get_by_test_id("transcript").get_by_role("button", name="It is, yes.").click()
    await expect(page.locator(".rv-line.current")).to_have_count(1)
    await assert_contrast(page.locator(".rv-line-time"))
    assert errors == []
