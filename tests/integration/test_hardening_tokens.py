"""A socket outlives its handshake, not its token: `refresh_token` renews a token that is still
valid, and refuses one that has expired the way a handshake or `POST /api/v1/token` would."""

from __future__ import annotations

import time

import pytest

from tests.conftest import ServerFactory
from tests.integration.harness import AckError, until

TTL_S = 2  # tokens expire in whole seconds: at least one second left after issuing


def now_ms() -> float:
    return time.time() * 1000


async def test_an_expired_token_is_not_refreshed_on_a_socket(make_server: ServerFactory) -> None:
    server = await make_server(visitor_token_ttl_s=TTL_S, agent_token_ttl_s=TTL_S)
    agent = await server.add_agent()
    console = await server.agent_client(agent)
    widget, session = await server.visitor()
    async with server.http.post(server.url + "/api/v1/token",
                                headers={"Authorization": f"Bearer {agent.token}"}) as resp:
        assert resp.status == 200
        agent_expires = (await resp.json())["expires_at"]
    await until(lambda: now_ms() > max(session["expires_at"], agent_expires) + 10,
                what="both tokens expired")
    for client in (widget, console):
        with pytest.raises(AckError) as err:
            await client.call("refresh_token", {})
        assert err.value.code == "unauthorized"
        assert "expired" in err.value.error["message"]
        assert client.sio.connected  # refused, not dropped: the client renews its own way
    # The same answer REST gives for that token.
    async with server.http.post(server.url + "/api/v1/token",
                                headers={"Authorization": f"Bearer {agent.token}"}) as resp:
        assert resp.status == 401
        assert (await resp.json())["error"]["code"] == "unauthorized"


async def test_a_refreshed_socket_keeps_refreshing_past_its_first_tokens_end(
        make_server: ServerFactory) -> None:
    server = await make_server(visitor_token_ttl_s=TTL_S, agent_token_ttl_s=TTL_S)
    agent = await server.add_agent()
    console = await server.agent_client(agent)
    widget, session = await server.visitor()
    first = {"visitor": session["expires_at"],
             "agent": server.aisle.tokens.verify(agent.token).expires_at}
    # A second later a refresh gives a token that outlives the one the socket connected with.
    await until(lambda: now_ms() > max(first.values()) - TTL_S * 1000 + 1000,
                what="a second has passed")
    fresh = {"visitor": (await widget.call("refresh_token", {}))["expires_at"],
             "agent": (await console.call("refresh_token", {}))["expires_at"]}
    assert fresh["visitor"] > first["visitor"] and fresh["agent"] > first["agent"]
    await until(lambda: now_ms() > max(first.values()) + 10, what="the first tokens expired")
    again = {"visitor": await widget.call("refresh_token", {}),
             "agent": await console.call("refresh_token", {})}
    assert all(t["expires_at"] >= fresh[who] for who, t in again.items())
    reconnected = await server.connect("/agent", again["agent"]["token"])
    assert reconnected.sio.connected
