"""Alembic environment: runs migrations on the connection the application hands over.

SQLite can only alter tables by rebuilding them ("batch" mode), and a rebuild must not trip
foreign-key checks half-way; so foreign keys are off while migrating and checked afterwards.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from desktop_app.storage.orm import Base

connection = context.config.attributes["connection"]
connection.execute(text("PRAGMA foreign_keys=OFF"))
connection.commit()
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
connection.commit()
problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
connection.execute(text("PRAGMA foreign_keys=ON"))
connection.commit()
if problems:
    raise RuntimeError(f"migration left rows that break foreign keys: {problems[:5]}")
