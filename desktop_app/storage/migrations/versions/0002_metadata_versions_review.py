"""Article metadata and display structure, versions, soft deletion, reading position, and the
re-anchoring state of annotations carried to a new version.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _text(name: str, default: str = "") -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False, server_default=default)


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(_text("format", "text"))
        batch.add_column(_text("encoding"))
        batch.add_column(_text("author"))
        batch.add_column(_text("site"))
        batch.add_column(_text("published"))
        batch.add_column(_text("canonical_url"))
        batch.add_column(_text("blocks", "[]"))
        batch.add_column(_text("import_notes"))
        batch.add_column(sa.Column("version_group", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("version_number", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("opened_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("reading_offset", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("focus_start", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("focus_end", sa.Integer(), nullable=True))
        batch.create_index("ix_documents_canonical_url", ["canonical_url"])
        batch.create_index("ix_documents_version_group", ["version_group"])
    with op.batch_alter_table("annotations") as batch:
        batch.add_column(_text("anchor_status", "ok"))
        batch.add_column(sa.Column("anchor_score", sa.Float(), nullable=False, server_default="1"))
        batch.add_column(_text("anchor_method", "created"))
        batch.add_column(_text("previous_exact"))
        batch.add_column(
            sa.Column("carried_from", sa.String(36), nullable=False, server_default="")
        )
        batch.create_index("ix_annotations_anchor_status", ["anchor_status"])


def downgrade() -> None:
    with op.batch_alter_table("annotations") as batch:
        batch.drop_index("ix_annotations_anchor_status")
        for name in ("carried_from", "previous_exact", "anchor_method", "anchor_score"):
            batch.drop_column(name)
        batch.drop_column("anchor_status")
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_version_group")
        batch.drop_index("ix_documents_canonical_url")
        for name in (
            "focus_end",
            "focus_start",
            "reading_offset",
            "opened_at",
            "deleted_at",
            "version_number",
            "version_group",
            "import_notes",
            "blocks",
            "canonical_url",
            "published",
            "site",
            "author",
            "encoding",
            "format",
        ):
            batch.drop_column(name)
