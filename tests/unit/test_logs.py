"""Log lines as operators read them: JSON with the conversation and principal where there are
any; plain text with them in brackets, and nothing where there is none."""

from __future__ import annotations

import logging

import orjson

from signaling.logs import ContextFilter, JsonFormatter, TextFormatter, conversation_context


def record(msg: str) -> logging.LogRecord:
    rec = logging.LogRecord("signaling.test", logging.WARNING, __file__, 1, msg, (), None)
    ContextFilter().filter(rec)
    return rec


def test_plain_text_names_the_context_only_where_there_is_one() -> None:
    bare = TextFormatter().format(record("started"))
    assert bare.endswith(" WARNING signaling.test started") and "None" not in bare
    with conversation_context("cnv_1"):
        rec = record("offer expired")
    rec.principal = "agent:agt_1"
    assert TextFormatter().format(rec).endswith(
        " WARNING signaling.test [agent:agt_1 cnv_1] offer expired")


def test_json_lines_carry_the_context_only_where_there_is_one() -> None:
    assert "conversation_id" not in orjson.loads(JsonFormatter().format(record("started")))
    with conversation_context("cnv_1"):
        line = orjson.loads(JsonFormatter().format(record("offer expired")))
    assert (line["conversation_id"], line["msg"], line["level"]) == (
        "cnv_1", "offer expired", "warning")
