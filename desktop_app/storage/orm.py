"""The library's tables as SQLAlchemy 2 declarative models.

Annotations are designed for large documents (2 MB of text, 10,000 annotations): they are read in
bulk by document through an index on (document_id, start), and tags are joined through a small
association table rather than stored as text, so renaming a tag touches one row.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime; SQLite has no time zones, so it is stored naive in UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every Claimmark table."""


annotation_tags = Table(
    "annotation_tags",
    Base.metadata,
    Column("annotation_id", ForeignKey("annotations.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Document(Base):
    """An imported text. `text` is normalised once and never changed afterwards."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    format: Mapped[str] = mapped_column(Text, default="text", server_default="text")
    encoding: Mapped[str] = mapped_column(Text, default="", server_default="")
    author: Mapped[str] = mapped_column(Text, default="", server_default="")
    site: Mapped[str] = mapped_column(Text, default="", server_default="")
    # ISO date (YYYY-MM-DD) as the page gave it, or "".
    published: Mapped[str] = mapped_column(Text, default="", server_default="")
    canonical_url: Mapped[str] = mapped_column(Text, default="", server_default="", index=True)
    # JSON list of [start, end, kind]: headings, list items, quotes, code (display only).
    blocks: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    # What the importer could not keep (one remark a line), shown to the reader.
    import_notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Versions of one article share a group (the id of the first version) and are numbered.
    version_group: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    version_number: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Deleting is undoable: a deleted document is only marked, and purged at the next start.
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    reading_offset: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    focus_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    focus_end: Mapped[int | None] = mapped_column(Integer, nullable=True)

    annotations: Mapped[list[Annotation]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class Tag(Base):
    """A codebook entry; `position` orders the panel and gives the 1-9 key."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    colour: Mapped[str] = mapped_column(String(7))
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    # Nesting: `trade` › `tariffs`. Deleting a parent lifts its children (handled in code).
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("tags.id", ondelete="SET NULL", name="fk_tags_parent_id"), nullable=True
    )


class Annotation(Base):
    """A span of a document, in code points (end exclusive), with its quote and context."""

    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start < "end"', name="ck_annotations_span"),
        CheckConstraint(
            "checkworthiness IS NULL OR checkworthiness BETWEEN 1 AND 5",
            name="ck_annotations_checkworthiness",
        ),
        Index("ix_annotations_document_start", "document_id", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(UtcDateTime)
    updated: Mapped[datetime] = mapped_column(UtcDateTime)
    # Re-anchoring onto a new version: "ok", "needs_review" or "orphaned", how it was placed
    # (created, position, exact, fuzzy, confirmed, moved), with what score, and the quote it
    # had in the version it was carried from.
    anchor_status: Mapped[str] = mapped_column(Text, default="ok", server_default="ok", index=True)
    anchor_score: Mapped[float] = mapped_column(Float, default=1.0, server_default="1")
    anchor_method: Mapped[str] = mapped_column(Text, default="created", server_default="created")
    previous_exact: Mapped[str] = mapped_column(Text, default="", server_default="")
    # uuid of the annotation in the previous version this one was carried from, or "".
    carried_from: Mapped[str] = mapped_column(String(36), default="", server_default="")
    # Claim fields: stance ("supports", "opposes", "neutral", "unclear" or ""), who made the
    # claim, and how much it deserves checking (1-5, or None when not judged).
    stance: Mapped[str] = mapped_column(Text, default="", server_default="")
    speaker: Mapped[str] = mapped_column(Text, default="", server_default="")
    checkworthiness: Mapped[int | None] = mapped_column(Integer, nullable=True)

    document: Mapped[Document] = relationship(back_populates="annotations")
    tags: Mapped[list[Tag]] = relationship(secondary=annotation_tags, order_by=Tag.position)


class AppSetting(Base):
    """Small per-library state, such as the document that was open last."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
