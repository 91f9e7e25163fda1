"""Managing agents' accounts (REST /api/v1/accounts, and `aisle agents set` against a running
server): who may do what, and that disabling an agent or resetting their password ends every
session they have, at once, with their chats back in the queue."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat, send, start
from tests.integration.harness import AckError, Agent, Client, Server, until
from tests.integration.test_access import refused


async def rest(server: Server, method: str, path: str, token: str, body: Any = None,
               expect: int = 200) -> Any:
    async with server.http.request(method, server.url + path, json=body,
                                   headers={"Authorization": f"Bearer {token}"}) as resp:
        data = await resp.json()
        assert resp.status == expect, (path, resp.status, data)
        return data


async def login(server: Server, name: str, password: str, expect: int = 200) -> Any:
    return await server.post("/api/v1/login", {"login": name, "password": password},
                             expect=expect)


async def test_a_supervisor_adds_an_agent_who_signs_in_with_the_password_shown(
        server: Server) -> None:
    boss = await server.add_agent("boss", role="supervisor")
    created = await rest(server, "POST", "/api/v1/accounts", boss.token, {
        "login": "kim", "display_name": "Kim", "teams": ["billing", "support"],
        "max_concurrent": 4}, expect=201)
    account = created["account"]
    assert account["role"] == "agent" and account["teams"] == ["billing", "support"]
    assert account["max_concurrent"] == 4 and not account["disabled"]
    assert len(created["password"]) >= 12
    signed_in = await login(server, "kim", created["password"])
    assert signed_in["agent"]["display_name"] == "Kim"
    listed = await rest(server, "GET", "/api/v1/accounts", boss.token)
    assert {a["login"] for a in listed["accounts"]} == {"boss", "kim"}
    assert listed["teams"] == ["billing", "sales", "support"]
    assert listed["manageable_roles"] == ["agent", "trainer"]
    # A new team, then the agent moved to it.
    teams = await rest(server, "POST", "/api/v1/teams", boss.token, {"name": "returns"},
                       expect=201)
    assert "returns" in teams["teams"]
    changed = await rest(server, "PATCH", f"/api/v1/accounts/{account['id']}", boss.token,
                         {"teams": ["returns"], "display_name": " Kim L. "})
    assert changed["teams"] == ["returns"] and changed["display_name"] == "Kim L."


async def test_who_may_manage_whom(server: Server) -> None:
    agent = await server.add_agent("plain")
    boss = await server.add_agent("boss", role="supervisor")
    admin = await server.add_agent("root", role="admin")
    other_boss = await server.add_agent("boss2", role="supervisor")
    # Agents manage nobody.
    body = await rest(server, "GET", "/api/v1/accounts", agent.token, expect=403)
    assert body["error"]["code"] == "forbidden"
    await rest(server, "POST", "/api/v1/accounts", agent.token,
               {"login": "x", "display_name": "X"}, expect=403)
    # Supervisors manage agents and trainers, not supervisors or admins.
    await rest(server, "POST", "/api/v1/accounts", boss.token,
               {"login": "sup", "display_name": "S", "role": "supervisor"}, expect=403)
    await rest(server, "PATCH", f"/api/v1/accounts/{other_boss.id}", boss.token,
               {"disabled": True}, expect=403)
    await rest(server, "PATCH", f"/api/v1/accounts/{agent.id}", boss.token,
               {"role": "admin"}, expect=403)
    await rest(server, "POST", f"/api/v1/accounts/{admin.id}/password", boss.token,
               expect=403)
    # Nobody disables themselves or changes their own role; renaming is fine.
    await rest(server, "PATCH", f"/api/v1/accounts/{boss.id}", boss.token,
               {"disabled": True}, expect=403)
    await rest(server, "PATCH", f"/api/v1/accounts/{admin.id}", admin.token,
               {"role": "agent"}, expect=403)
    await rest(server, "PATCH", f"/api/v1/accounts/{boss.id}", boss.token,
               {"display_name": "The Boss", "role": "supervisor"})  # the same role: no change
    # Admins manage everyone else.
    listed = await rest(server, "GET", "/api/v1/accounts", admin.token)
    assert listed["manageable_roles"] == ["agent", "trainer", "supervisor", "admin"]
    await rest(server, "PATCH", f"/api/v1/accounts/{other_boss.id}", admin.token,
               {"role": "agent"})
    await rest(server, "POST", "/api/v1/accounts", admin.token,
               {"login": "sup", "display_name": "S", "role": "supervisor"}, expect=201)
    # Without a token, or with a visitor's.
    async with server.http.get(server.url + "/api/v1/accounts") as resp:
        assert resp.status == 401
    visitor = await server.visitor_session()
    await rest(server, "GET", "/api/v1/accounts", visitor["token"], expect=401)


async def test_bad_account_requests_get_clear_errors(server: Server) -> None:
    boss = await server.add_agent("boss", role="supervisor")
    for body in ({"login": "a b", "display_name": "A"},  # a space in the login
                 {"login": "ok", "display_name": ""},
                 {"login": "ok", "display_name": "A", "max_concurrent": 0},
                 {"login": "ok", "display_name": "A", "extra": True},
                 {"login": "ok", "display_name": "A", "role": "owner"}):
        error = (await rest(server, "POST", "/api/v1/accounts", boss.token, body,
                            expect=400))["error"]
        assert error["code"] == "invalid_payload", body
    unknown = await rest(server, "POST", "/api/v1/accounts", boss.token,
                         {"login": "ok", "display_name": "A", "teams": ["nope"]}, expect=400)
    assert unknown["error"]["details"] == {"teams": ["nope"]}
    taken = await rest(server, "POST", "/api/v1/accounts", boss.token,
                       {"login": "boss", "display_name": "Again"}, expect=409)
    assert taken["error"]["code"] == "conflict"
    assert taken["error"]["details"] == {"field": "login"}  # the form marks that field
    await rest(server, "POST", "/api/v1/teams", boss.token, {"name": "support"}, expect=409)
    await rest(server, "POST", "/api/v1/teams", boss.token, {"name": "a\nb"}, expect=400)
    await rest(server, "PATCH", "/api/v1/accounts/agt_missing", boss.token, {}, expect=404)
    await rest(server, "PATCH", "/api/v1/accounts/" + "x" * 300, boss.token, {}, expect=404)
    async with server.http.patch(server.url + "/api/v1/accounts/agt_x", data=b"{not json",
                                 headers={"Authorization": f"Bearer {boss.token}",
                                          "Content-Type": "application/json"}) as resp:
        assert resp.status == 400
    # Nothing of that was stored.
    listed = await rest(server, "GET", "/api/v1/accounts", boss.token)
    assert [a["login"] for a in listed["accounts"]] == ["boss"]
    assert listed["teams"] == ["billing", "sales", "support"]


async def test_disabling_an_agent_ends_their_sessions_and_requeues_their_chats(
        make_server: ServerFactory) -> None:
    # A long grace period: a disabled agent's chats must not wait for it.
    server = await make_server(agent_grace_s=60.0)
    boss = await server.add_agent("boss", role="supervisor", status="away")
    widget, console, conv, agent = await accepted_chat(server)
    await rest(server, "PATCH", f"/api/v1/accounts/{agent.id}", boss.token, {"disabled": True})
    closed = await console.wait_for("session_closed")
    assert closed == {"reason": "account_disabled"}
    await console.wait_until(lambda: not console.sio.connected)
    # Their time signed in ends with it.
    await until(lambda: server.aisle.time_log.state_of(agent.id) is None, what="signed out")
    assert all(s.ended_at is not None for s in await server.aisle.store.availability
               .overlapping(0, 2**53) if s.agent_id == agent.id)
    left = await widget.wait_for("agent_left")
    assert left["data"]["reason"] == "unavailable"  # the shopper is not told of a lost line
    await widget.wait_for("conversation_updated",
                          lambda d: d["conversation"]["status"] != "active")
    # Everything the old token could do is refused, and so is signing in.
    error = (await rest(server, "GET", "/api/v1/recordings", agent.token, expect=401))["error"]
    assert error["details"] == {"reason": "account_disabled"}
    await server.post("/api/v1/token", {}, headers={"Authorization": f"Bearer {agent.token}"},
                      expect=401)
    assert "disabled" in await refused(server, "/agent", agent.token)
    body = await login(server, agent.login, agent.password, expect=403)
    assert body["error"]["details"] == {"reason": "account_disabled"}
    listed = await rest(server, "GET", "/api/v1/accounts", boss.token)
    assert [a["disabled"] for a in listed["accounts"] if a["id"] == agent.id] == [True]
    # Transfers cannot name a disabled agent.
    agents = await (await server.agent_client(boss)).call("list_agents")
    assert agent.id not in [a["id"] for a in agents["agents"]]
    # Enabled again: a new sign-in works, the old token stays refused.
    await rest(server, "PATCH", f"/api/v1/accounts/{agent.id}", boss.token, {"disabled": False})
    fresh = await login(server, agent.login, agent.password)
    assert "ended" in await refused(server, "/agent", agent.token)
    back = await server.agent_client(Agent(agent.id, agent.login, agent.password,
                                           fresh["token"]))
    assert (await back.call("set_status", {"status": "online"}))["status"] == "online"


async def test_a_password_reset_signs_the_agent_out_everywhere(server: Server) -> None:
    admin = await server.add_agent("root", role="admin")
    agent = await server.add_agent("kim")
    first, second = await server.agent_client(agent), await server.agent_client(agent)
    reset = await rest(server, "POST", f"/api/v1/accounts/{agent.id}/password", admin.token)
    for console in (first, second):
        assert await console.wait_for("session_closed") == {"reason": "signed_out"}
    await login(server, agent.login, agent.password, expect=401)
    fresh = await login(server, agent.login, reset["password"])
    again = await server.agent_client(Agent(agent.id, agent.login, reset["password"],
                                            fresh["token"]))
    # The periodic check leaves a socket opened with the new password alone.
    await server.aisle.agent_sessions.check()
    assert again.sio.connected and not again.events("session_closed")
    assert (await again.call("refresh_token"))["token"]
    body = await server.post("/api/v1/token", {}, expect=401,
                             headers={"Authorization": f"Bearer {agent.token}"})
    assert body["error"]["details"] == {"reason": "signed_out"}
    # Who did it is in the audit log admins read (the password is not).
    await rest(server, "PATCH", f"/api/v1/accounts/{agent.id}", admin.token,
               {"disabled": True, "max_concurrent": 2})
    entries = (await rest(server, "GET", "/api/v1/audit?limit=10", admin.token))["entries"]
    done = [(e["action"], e["details"].get("account"), e["details"].get("changes"))
            for e in entries]
    assert done[:2] == [("account_changed", "kim", ["disabled", "max_concurrent"]),
                        ("password_reset", "kim", None)]
    assert all(e["details"]["login"] == "root" for e in entries[:2])
    assert reset["password"] not in str(entries)


async def test_requests_on_a_socket_whose_account_was_disabled_are_refused(
        make_server: ServerFactory) -> None:
    # The periodic check is slow here: requests in between must be refused on their own.
    server = await make_server(account_check_s=3600.0)
    widget, console, conv, agent = await accepted_chat(server)
    await server.aisle.store.agents.update(agent.id, disabled=True)  # as the CLI would
    try:
        await send(console, conv["id"], "still here?")
        raise AssertionError("a disabled agent's message was accepted")
    except AckError as exc:
        assert exc.code == "unauthorized"
    await server.aisle.agent_sessions.check()
    assert await console.wait_for("session_closed") == {"reason": "account_disabled"}


async def test_the_cli_disables_an_agent_of_a_running_server(
        make_server: ServerFactory) -> None:
    server = await make_server(account_check_s=0.2)
    agent = await server.add_agent("kim")
    console = await server.agent_client(agent)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "signaling.cli", "agents", "set", "kim", "--disable",
        "--data-dir", str(server.settings.data_dir),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert process.returncode == 0, err
    assert await console.wait_for("session_closed") == {"reason": "account_disabled"}
    await login(server, "kim", agent.password, expect=403)
    # Enabled again from the shell: signing in works.
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "signaling.cli", "agents", "set", "kim", "--enable",
        "--data-dir", str(server.settings.data_dir),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    await process.communicate()
    assert process.returncode == 0
    await login(server, "kim", agent.password)


async def full_and_one_waiting(server: Server, login: str) -> tuple[Agent, Client, str]:
    """An agent who takes one chat at once, busy with one, and another shopper (Kat) waiting:
    (the agent, their console, Kat's conversation id)."""
    agent = await server.add_agent(login, max_concurrent=1)
    console = await server.agent_client(agent)
    w1, _ = await server.visitor()
    first = await start(w1)
    await console.wait_for("offer_received")
    await console.call("accept_offer", {"conversation_id": first["id"]})
    w2, _ = await server.visitor()
    kat = await start(w2)
    assert kat["status"] == "queued"
    return agent, console, kat["id"]


async def test_more_room_given_from_the_shell_routes_the_chat_waiting(
        make_server: ServerFactory) -> None:
    # (A short agent grace: the routing pass a start schedules after it is over before.)
    server = await make_server(account_check_s=0.2, agent_grace_s=0.1)
    _, console, kat = await full_and_one_waiting(server, "carl-cli")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "signaling.cli", "agents", "set", "carl-cli", "--max-concurrent",
        "2", "--data-dir", str(server.settings.data_dir),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await process.communicate()
    assert process.returncode == 0, err
    await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == kat)


async def test_a_demoted_supervisor_loses_what_the_role_gave(server: Server) -> None:
    """Joined a chat as a supervisor, then made an agent: their sockets close (what they may
    watch was decided at the handshake), they leave the chat, and a new sign-in cannot write
    in it."""
    admin = await server.add_agent("root", role="admin", teams=())
    boss = await server.add_agent("boss", role="supervisor", teams=("billing",))
    widget, console, conv, _ = await accepted_chat(server)
    boss_console = await server.agent_client(boss)
    await boss_console.call("join_conversation", {"conversation_id": conv["id"]})
    await rest(server, "PATCH", f"/api/v1/accounts/{boss.id}", admin.token,
               {"role": "agent"})
    assert await boss_console.wait_for("session_closed") == {"reason": "signed_out"}
    left = await widget.wait_for("agent_left", lambda e: e["data"]["agent_id"] == boss.id)
    assert left["data"]["reason"] == "left"
    fresh = await login(server, boss.login, boss.password)
    again = await server.agent_client(Agent(boss.id, boss.login, boss.password, fresh["token"]))
    for event, payload in (("send_message", {"conversation_id": conv["id"], "client_id": "x1",
                                             "text": "still a supervisor?"}),
                           ("get_dashboard", {})):
        try:
            await again.call(event, payload)
            raise AssertionError(f"{event} was accepted")
        except AckError as exc:
            assert exc.code == "forbidden", event


async def test_a_change_of_teams_moves_open_sockets_between_queues(server: Server) -> None:
    boss = await server.add_agent("boss", role="supervisor", teams=(), status="away")
    agent = await server.add_agent("kim", teams=("support",), status="away")
    console = await server.agent_client(agent)
    await rest(server, "PATCH", f"/api/v1/accounts/{agent.id}", boss.token,
               {"teams": ["sales"]})
    # Nobody online: each chat is left as a message for its team, and the team is told.
    widget, _ = await server.visitor()
    await start(widget, topic="order")  # support: no longer Kim's
    other, _ = await server.visitor()
    await start(other, topic="buying")  # sales: now Kim's
    await console.wait_for("offline_inbox_changed", lambda d: d["team"] == "sales")
    assert not console.events("offline_inbox_changed", lambda d: d["team"] == "support")
    assert console.sio.connected


async def test_a_disabled_socket_cannot_rename_its_agent(make_server: ServerFactory) -> None:
    server = await make_server(account_check_s=3600.0)
    agent = await server.add_agent("kim")
    console = await server.agent_client(agent)
    await server.aisle.store.agents.update(agent.id, disabled=True)  # as the CLI would
    try:
        await console.call("update_profile", {"display_name": "Renamed"})
        raise AssertionError("a disabled agent renamed themselves")
    except AckError as exc:
        assert exc.code == "unauthorized"
    record = await server.aisle.store.agents.get(agent.id)
    assert record is not None and record.display_name == "Kim"


async def test_two_admins_disabling_each_other_leave_one(server: Server) -> None:
    first = await server.add_agent("root1", role="admin", teams=())
    second = await server.add_agent("root2", role="admin", teams=())

    async def disable(actor: Agent, target: Agent) -> int:
        async with server.http.patch(server.url + f"/api/v1/accounts/{target.id}",
                                     json={"disabled": True},
                                     headers={"Authorization": f"Bearer {actor.token}"}) as resp:
            return resp.status

    statuses = sorted(await asyncio.gather(disable(first, second), disable(second, first)))
    assert statuses == [200, 401]
    listed = [await server.aisle.store.agents.get(a.id) for a in (first, second)]
    assert sum(1 for a in listed if a is not None and not a.disabled) == 1


async def test_names_people_read_are_checked(server: Server) -> None:
    boss = await server.add_agent("boss", role="supervisor", teams=())
    agent = await server.add_agent("kim")
    # A login that differs only by case would be a lookalike.
    taken = await rest(server, "POST", "/api/v1/accounts", boss.token,
                       {"login": "KIM", "display_name": "Kim"}, expect=409)
    assert taken["error"]["code"] == "conflict"
    for name in ("   ", "a\nb", "\u202eevil", "zero\u200bwidth"):
        await rest(server, "POST", "/api/v1/accounts", boss.token,
                   {"login": "lee", "display_name": name}, expect=400)
        await rest(server, "PATCH", f"/api/v1/accounts/{agent.id}", boss.token,
                   {"display_name": name}, expect=400)
    console = await server.agent_client(agent)
    try:
        await console.call("update_profile", {"display_name": "\u202eevil"})
        raise AssertionError("a disguised name was accepted")
    except AckError as exc:
        assert exc.code == "invalid_payload"
    # A new team is named as transfers and canned responses name teams.
    await rest(server, "POST", "/api/v1/teams", boss.token, {"name": "Sales EU"}, expect=400)
    await rest(server, "POST", "/api/v1/teams", boss.token, {"name": "sales-eu"}, expect=201)
    # Nobody changes their own teams (team canned responses follow them).
    await rest(server, "PATCH", f"/api/v1/accounts/{boss.id}", boss.token,
               {"teams": ["billing"]}, expect=403)


async def test_more_room_for_an_agent_routes_the_chat_waiting(
        make_server: ServerFactory) -> None:
    """Carl is full (one chat at once) and Kat waits; his supervisor lets him take two: Kat is
    offered to him at once, not at the next unrelated routing event."""
    # (A short agent grace: the routing pass a start schedules after it is over before.)
    server = await make_server(agent_grace_s=0.1)
    boss = await server.add_agent("boss-room", role="supervisor")
    carl, console, kat = await full_and_one_waiting(server, "carl")
    await rest(server, "PATCH", f"/api/v1/accounts/{carl.id}", boss.token,
               {"max_concurrent": 2})
    offer = await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == kat)
    assert offer["conversation"]["status"] == "offered"
