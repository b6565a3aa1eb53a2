"""Nested tags, claim fields on annotations, and full-text search (SQLite FTS5).

The search tables are external-content FTS5 indexes kept in step with their tables by
triggers, so no code path can forget to update them; `unicode61 remove_diacritics 2` makes
search case- and accent-insensitive (café finds cafe).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TOKENIZER = "unicode61 remove_diacritics 2"

SEARCH_SCHEMA = [
    f"""CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='id', tokenize='{TOKENIZER}')""",
    """CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    f"""CREATE VIRTUAL TABLE annotations_fts USING fts5(
        exact, note, speaker, content='annotations', content_rowid='id',
        tokenize='{TOKENIZER}')""",
    """CREATE TRIGGER annotations_fts_insert AFTER INSERT ON annotations BEGIN
        INSERT INTO annotations_fts(rowid, exact, note, speaker)
        VALUES (new.id, new.exact, new.note, new.speaker);
    END""",
    """CREATE TRIGGER annotations_fts_delete AFTER DELETE ON annotations BEGIN
        INSERT INTO annotations_fts(annotations_fts, rowid, exact, note, speaker)
        VALUES ('delete', old.id, old.exact, old.note, old.speaker);
    END""",
    """CREATE TRIGGER annotations_fts_update AFTER UPDATE OF exact, note, speaker ON annotations
    BEGIN
        INSERT INTO annotations_fts(annotations_fts, rowid, exact, note, speaker)
        VALUES ('delete', old.id, old.exact, old.note, old.speaker);
        INSERT INTO annotations_fts(rowid, exact, note, speaker)
        VALUES (new.id, new.exact, new.note, new.speaker);
    END""",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
    "INSERT INTO annotations_fts(annotations_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    with op.batch_alter_table("tags") as batch:
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_tags_parent_id", "tags", ["parent_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("annotations") as batch:
        batch.add_column(sa.Column("stance", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("speaker", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("checkworthiness", sa.Integer(), nullable=True))
        batch.create_check_constraint(
            "ck_annotations_checkworthiness",
            "checkworthiness IS NULL OR checkworthiness BETWEEN 1 AND 5",
        )
    for statement in SEARCH_SCHEMA:
        op.execute(statement)


def downgrade() -> None:
    for name in (
        "annotations_fts_update",
        "annotations_fts_delete",
        "annotations_fts_insert",
        "documents_fts_update",
        "documents_fts_delete",
        "documents_fts_insert",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS annotations_fts")
    op.execute("DROP TABLE IF EXISTS documents_fts")
    with op.batch_alter_table("annotations") as batch:
        batch.drop_constraint("ck_annotations_checkworthiness", type_="check")
        batch.drop_column("checkworthiness")
        batch.drop_column("speaker")
        batch.drop_column("stance")
    with op.batch_alter_table("tags") as batch:
        batch.drop_constraint("fk_tags_parent_id", type_="foreignkey")
        batch.drop_column("parent_id")
