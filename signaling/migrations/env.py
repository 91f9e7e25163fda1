"""Alembic environment: migrations run on a connection handed over by signaling.store.migrate
(sync, inside `run_sync`), so SQLite and PostgreSQL go through the same async engine."""

from __future__ import annotations

from alembic import context

from signaling.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `aisle migrate`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
