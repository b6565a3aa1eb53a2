"""The search panel: searching as you type (debounced), the keys, the model, and a real library."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics

from desktop_app.core.search_hit import SearchHit
from desktop_app.storage.library_store import LibraryStore
from desktop_app.ui.panels.search_panel import DEBOUNCE_MS, SearchPanel, snippet_runs, trim_lead_in

HITS = [
    SearchHit(
        "annotation", 1, "Summit in Tokyo", 40, 60, "Trump met Takaichi", 7, 3.2, "quote", ((0, 5),)
    ),
    SearchHit(
        "annotation", 2, "Trade talks", 10, 30, "Ask Trump's office", 8, 1.5, "note", ((4, 9),)
    ),
    SearchHit(
        "document",
        3,
        "Trump in Asia",
        120,
        125,
        "…visit of Trump to Seoul…",
        None,
        2.0,
        "text",
        ((10, 15),),
    ),
]


class FakeSearch:
    """A search callable that records its queries and finds HITS for anything with "trump"."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def __call__(self, query: str) -> list[SearchHit]:
        self.queries.append(query)
        return list(HITS) if "trump" in query.casefold() else []


@pytest.fixture
def search() -> FakeSearch:
    return FakeSearch()


@pytest.fixture
def panel(qtbot, search: FakeSearch) -> SearchPanel:
    widget = SearchPanel(search)
    qtbot.addWidget(widget)
    widget.resize(320, 480)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.focus_field()
    return widget


def type_and_wait(qtbot, panel: SearchPanel, text: str, rows: int) -> None:
    qtbot.keyClicks(panel.field, text)
    qtbot.waitUntil(lambda: panel.model.rowCount() == rows, timeout=2_000)


def test_typing_searches_once_typing_pauses(qtbot, panel, search) -> None:
    qtbot.keyClicks(panel.field, "trump")
    assert search.queries == []  # nothing while the debounce runs
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=2_000)
    assert search.queries == ["trump"]
    assert panel.count_label.text() == "3 results"
    assert [panel.model.hit_at(row) for row in range(3)] == HITS


def test_count_label_says_one_result_and_no_results(qtbot, panel, monkeypatch) -> None:
    monkeypatch.setattr(panel, "_search", lambda query: HITS[:1])
    type_and_wait(qtbot, panel, "one", 1)
    assert panel.count_label.text() == "1 result"
    monkeypatch.setattr(panel, "_search", lambda query: [])
    qtbot.keyClicks(panel.field, "x")
    qtbot.waitUntil(lambda: panel.count_label.text() == "No results", timeout=2_000)


def test_down_then_enter_opens_the_chosen_hit(qtbot, panel) -> None:
    type_and_wait(qtbot, panel, "trump", 3)
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    assert panel.list.hasFocus()
    assert panel.list.currentIndex().row() == 0
    qtbot.keyClick(panel.list, Qt.Key.Key_Down)
    with qtbot.waitSignal(panel.hitActivated) as opened:
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert opened.args == [HITS[1]]


def test_escape_and_up_from_the_list_go_back_to_the_field(qtbot, panel) -> None:
    type_and_wait(qtbot, panel, "trump", 3)
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    qtbot.keyClick(panel.list, Qt.Key.Key_Up)
    assert panel.field.hasFocus()
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    qtbot.keyClick(panel.list, Qt.Key.Key_Escape)
    assert panel.field.hasFocus()
    assert panel.field.text() == "trump"


def test_enter_in_the_field_opens_the_first_hit_without_waiting(qtbot, panel, search) -> None:
    qtbot.keyClicks(panel.field, "trump")
    with qtbot.waitSignal(panel.hitActivated) as opened:
        qtbot.keyClick(panel.field, Qt.Key.Key_Enter)
    assert opened.args == [HITS[0]]
    assert search.queries == ["trump"]
    qtbot.wait(DEBOUNCE_MS * 2)
    assert search.queries == ["trump"]  # the pending search ran early, not twice


def test_enter_with_no_hits_opens_nothing(qtbot, panel) -> None:
    type_and_wait(qtbot, panel, "nothing", 0)
    with qtbot.assertNotEmitted(panel.hitActivated):
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
        qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    assert panel.field.hasFocus()


def test_clicking_a_hit_opens_it(qtbot, panel) -> None:
    type_and_wait(qtbot, panel, "trump", 3)
    rect = panel.list.visualRect(panel.model.index(2))
    with qtbot.waitSignal(panel.hitActivated) as opened:
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [HITS[2]]


def test_an_empty_query_clears_the_results_at_once(qtbot, panel, search) -> None:
    type_and_wait(qtbot, panel, "trump", 3)
    panel.field.selectAll()
    qtbot.keyClick(panel.field, Qt.Key.Key_Backspace)
    assert panel.model.rowCount() == 0
    assert panel.count_label.text() == ""
    qtbot.keyClicks(panel.field, "   ")
    qtbot.wait(DEBOUNCE_MS * 2)
    assert search.queries == ["trump"]  # spaces are not worth a search


def test_escape_clears_then_closes(qtbot, panel) -> None:
    type_and_wait(qtbot, panel, "trump", 3)
    qtbot.keyClick(panel.field, Qt.Key.Key_Escape)
    assert panel.field.text() == "" and panel.model.rowCount() == 0
    with qtbot.waitSignal(panel.closeRequested):
        qtbot.keyClick(panel.field, Qt.Key.Key_Escape)


def test_refresh_searches_again(qtbot, panel, search) -> None:
    type_and_wait(qtbot, panel, "trump", 3)
    panel.refresh()
    assert search.queries == ["trump", "trump"]


def test_the_model_passes_the_model_tester(qtbot, qtmodeltester, panel) -> None:
    type_and_wait(qtbot, panel, "trump", 3)
    qtmodeltester.check(panel.model)
    panel.field.clear()
    qtmodeltester.check(panel.model)


def test_rows_paint_with_the_matched_words_in_bold(qtbot, panel) -> None:
    type_and_wait(qtbot, panel, "trump", 3)
    panel.list.setCurrentIndex(panel.model.index(1))
    image = panel.list.grab().toImage()  # runs the delegate's paint on every row
    assert not image.isNull()
    assert panel.model.index(0).data(Qt.ItemDataRole.DisplayRole) == "Summit in Tokyo"


def test_snippet_runs_and_lead_in_trimming() -> None:
    runs = snippet_runs("one two three four", ((8, 13), (14, 18)))
    assert runs == [("one two ", False), ("three", True), (" ", False), ("four", True)]
    assert snippet_runs("word", ()) == [("word", False)]
    metrics = QFontMetrics(QFont())
    narrow = trim_lead_in(runs, lambda text: metrics.horizontalAdvance(text) <= 1)
    assert narrow[0] == ("three", True)
    wide = trim_lead_in(runs, lambda text: True)
    assert wide == runs
    cut = trim_lead_in(runs, lambda text: len(text) <= 5)
    assert cut[0] == ("…two ", False)


# --- with a real library ------------------------------------------------------------------------


@pytest.fixture
def library(store: LibraryStore) -> LibraryStore:
    """The shared prepared store (conftest), under the name these tests read best with."""
    return store


def test_the_panel_searches_a_real_library(qtbot, library) -> None:
    text = "🙂 They met at the Café Lumière in Tokyo."
    document = library.add_document("Tokyo summit", "a.txt", text)
    panel = SearchPanel(library.search)
    qtbot.addWidget(panel)
    panel.show()
    type_and_wait(qtbot, panel, "cafe", 1)
    with qtbot.waitSignal(panel.hitActivated) as opened:
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    hit = opened.args[0]
    assert hit.document_id == document.id
    assert text[hit.start : hit.end] == "Café"
