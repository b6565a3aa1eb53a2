"""The annotation list model: rows counted in C++, records kept row for row in Python."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from desktop_app.core.records import AnnotationRecord, TagRecord
from desktop_app.models.annotation_list_model import AnnotationListModel, AnnotationRole

NOW = datetime(2026, 12, 3, tzinfo=UTC)
TRADE = TagRecord(id=1, name="trade", colour="#e69f00", position=0)


def record(
    id_: int, start: int, *, status: str = "ok", tags: tuple[int, ...] = ()
) -> AnnotationRecord:
    return AnnotationRecord(
        id=id_,
        uuid=f"u{id_}",
        document_id=1,
        start=start,
        end=start + 5,
        exact=f"quote {id_}",
        prefix="",
        suffix="",
        note="",
        tag_ids=tags,
        created=NOW,
        updated=NOW,
        anchor_status=status,
    )


def shown(model: AnnotationListModel) -> list[int]:
    return [model.index(row, 0).data(AnnotationRole.Record).id for row in range(model.rowCount())]


def test_rows_follow_reading_order_through_every_change(qtmodeltester) -> None:
    model = AnnotationListModel({TRADE.id: TRADE}.get)
    qtmodeltester.check(model)
    model.set_annotations([record(3, 30), record(1, 10, tags=(1,)), record(2, 20)])
    assert shown(model) == [1, 2, 3]
    assert model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole) == "trade: quote 1"
    assert model.add(record(4, 15)) == 1
    assert shown(model) == [1, 4, 2, 3]
    model.update(record(4, 15), record(4, 35))  # moved: a new row
    assert shown(model) == [1, 2, 3, 4]
    model.remove(record(2, 20))
    assert shown(model) == [1, 3, 4]
    assert model.row_of(3) == 1 and model.row_of(2) is None
    assert model.record_at(2).start == 35
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, 0), "typed over", Qt.ItemDataRole.EditRole)


def test_a_kept_list_takes_in_and_lets_go_as_records_change(qtmodeltester) -> None:
    review = AnnotationListModel(lambda _tag: None, keep=lambda r: r.needs_attention)
    qtmodeltester.check(review)
    settled, unsettled = record(1, 10), record(2, 20, status="needs_review")
    review.set_annotations([settled, unsettled])
    assert shown(review) == [2]
    assert review.add(record(3, 5)) is None  # settled: not this list's
    review.update(unsettled, replace(unsettled, anchor_status="ok"))  # confirmed
    assert shown(review) == []
    review.update(settled, replace(settled, anchor_status="orphaned"))
    assert shown(review) == [1]
    assert review.index(0, 0).data(AnnotationRole.Status) == "orphaned"


def test_a_card_tooltip_is_its_note_or_its_quote_and_a_reset_is_one_signal(qtbot) -> None:
    model = AnnotationListModel(lambda _tag: None)
    noted = replace(record(1, 10), note="Check the agenda.")
    model.set_annotations([noted, record(2, 20)])
    tips = [model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole) for row in range(2)]
    assert tips == ["Check the agenda.", "quote 2"]
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        model.set_annotations([record(3, 30)])
    assert removed == [(0, 1)]  # not one signal per row, as QStandardItemModel.clear() sends
    assert shown(model) == [3]


def test_rows_added_behind_the_models_back_are_refused() -> None:
    model = AnnotationListModel(lambda _tag: None)
    model.set_annotations([record(1, 10)])
    with pytest.raises(RuntimeError, match="only through"):
        model._on_rows_inserted(model.index(-1, 0), 0, 0)  # as if insertRow(0) had run
