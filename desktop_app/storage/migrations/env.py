"""Alembic environment: runs migrations on the connection the application hands over.

`storage.database.migrate` opens that connection in one exclusive transaction, with foreign
keys off (SQLite alters a table by rebuilding it), and commits or rolls back the whole upgrade
itself; so nothing here commits, and Alembic, seeing a transaction already begun, opens none.
"""

from __future__ import annotations

from alembic import context

from desktop_app.storage.orm import Base

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=Base.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
