"""The keyboard contract of PRODUCT.md, driven through real key presses on the real window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from desktop_app.core.highlight_layers import composite

SECOND_SENTENCE = (
    "The focus of their summit is expected to center on trade and security matters, "
    "representing a critical moment for Japan's relationship with its powerful partner."
)


def press(qtbot: QtBot, widget: object, keys: str) -> None:
    for key in keys:
        qtbot.keyClick(widget, key)


def painted_at(app: object, offset: int) -> list[str]:
    """The colours the reader paints under the character at code-point `offset`."""
    return [painted for _tag, painted in app.window.reader.highlight_bands_at(offset)]


def test_first_j_lands_on_the_first_sentence(launch, sample_text):
    app = launch()
    QtBot.keyClick(app.window.reader, "j")
    sentence = app.window.current_sentence
    assert sentence is not None
    assert sample_text[sentence.start : sentence.end].startswith("Japan's freshly appointed leader")
    assert app.window.reader.focus_span == (sentence.start, sentence.end)


def test_j_j_1_tags_the_second_sentence_with_trade_and_1_again_removes_it(
    launch, qtbot, sample_text
):
    app = launch()
    reader = app.window.reader
    press(qtbot, reader, "jj1")
    annotations = app.session.annotations()
    assert len(annotations) == 1
    (annotation,) = annotations
    assert annotation.exact == SECOND_SENTENCE
    assert sample_text[annotation.start : annotation.end] == SECOND_SENTENCE
    trade = app.session.tag_for_key(1)
    assert trade.name == "trade"
    assert annotation.tag_ids == (trade.id,)
    # The highlight is drawn in trade's colour, and the store has it already (no Save).
    assert painted_at(app, annotation.start) == [composite([trade.colour], "#fbfaf6")]
    assert [a.exact for a in app.store.annotations(annotation.document_id)] == [SECOND_SENTENCE]

    press(qtbot, reader, "1")
    assert app.session.annotations() == []
    assert app.store.annotations(annotation.document_id) == []
    assert painted_at(app, annotation.start) == []


def test_two_tags_on_one_sentence_and_toggling_one_off(launch, qtbot):
    app = launch()
    reader = app.window.reader
    press(qtbot, reader, "jj12")
    (annotation,) = app.session.annotations()
    names = [app.session.tag(t).name for t in annotation.tag_ids]
    assert names == ["trade", "security"]
    press(qtbot, reader, "1")
    (annotation,) = app.session.annotations()
    assert [app.session.tag(t).name for t in annotation.tag_ids] == ["security"]


def test_k_moves_back_and_stops_at_the_start(launch, qtbot, sample_text):
    app = launch()
    reader = app.window.reader
    press(qtbot, reader, "jjjk")
    sentence = app.window.current_sentence
    assert sample_text[sentence.start : sentence.end] == SECOND_SENTENCE
    press(qtbot, reader, "kk")
    sentence = app.window.current_sentence
    assert sample_text[sentence.start : sentence.end].startswith("Japan's freshly")


def test_j_walks_every_sentence_to_the_author_bio(launch, qtbot, sample_text):
    app = launch()
    reader = app.window.reader
    lines = sample_text.split("\n")
    seen = []
    for _ in lines:
        qtbot.keyClick(reader, "j")
        sentence = app.window.current_sentence
        seen.append(sample_text[sentence.start : sentence.end])
    assert seen == lines
    qtbot.keyClick(reader, "j")
    assert sample_text[app.window.current_sentence.start :].startswith("A passionate urban")


def test_a_key_without_a_tag_or_target_changes_nothing(launch, qtbot):
    app = launch()
    reader = app.window.reader
    press(qtbot, reader, "1")  # no sentence chosen yet
    press(qtbot, reader, "j9")  # no tag has key 9
    assert app.session.annotations() == []
    assert "9" in app.window.statusBar().currentMessage()


def test_n_edits_the_note_of_the_annotation_under_focus(launch, qtbot):
    app = launch()
    window = app.window
    press(qtbot, window.reader, "jj2")
    press(qtbot, window.reader, "n")
    editor = window.side_panel.note_editor
    assert editor.hasFocus()
    qtbot.keyClicks(editor, "Security pledge; check the figures.")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.reader.hasFocus)
    (annotation,) = app.store.annotations(app.session.document.id)
    assert annotation.note == "Security pledge; check the figures."
    # One undo step takes back the whole edit, not one keystroke.
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    (annotation,) = app.store.annotations(app.session.document.id)
    assert annotation.note == ""
    assert editor.toPlainText() == ""


def test_n_without_an_annotation_explains_instead_of_opening_the_editor(launch, qtbot):
    app = launch()
    press(qtbot, app.window.reader, "jn")
    assert not app.window.side_panel.note_editor.hasFocus()
    assert "Tag this sentence first" in app.window.statusBar().currentMessage()


def test_delete_removes_the_annotation_under_focus_and_undo_restores_it(launch, qtbot):
    app = launch()
    window = app.window
    press(qtbot, window.reader, "jj1")
    (before,) = app.session.annotations()
    press(qtbot, window.reader, "n")
    qtbot.keyClicks(window.side_panel.note_editor, "keep me")
    qtbot.keyClick(window.side_panel.note_editor, Qt.Key.Key_Escape)
    (before,) = app.store.annotations(before.document_id)
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_Delete)
    assert app.store.annotations(before.document_id) == []
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    (restored,) = app.store.annotations(before.document_id)
    assert restored == before
    assert painted_at(app, restored.start) != []
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert app.store.annotations(before.document_id) == []


def test_undo_and_redo_walk_back_through_create_retag_and_delete(launch, qtbot):
    app = launch()
    window = app.window
    reader = window.reader
    document_id = app.session.document.id
    press(qtbot, reader, "j1")  # create on sentence 1
    press(qtbot, reader, "2")  # add security
    press(qtbot, reader, "j3")  # create on sentence 2
    states = []

    def snapshot() -> list[tuple[str, tuple[int, ...]]]:
        return [(a.exact[:20], a.tag_ids) for a in app.store.annotations(document_id)]

    states.append(snapshot())
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        states.append(snapshot())
    assert states[-1] == []
    assert len(states[1]) == 1 and len(states[1][0][1]) == 2
    assert len(states[2]) == 1 and len(states[2][0][1]) == 1
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    for expected in reversed(states[:-1]):
        qtbot.keyClick(window, Qt.Key.Key_Z, redo)
        assert snapshot() == expected


def test_ctrl_q_quits(launch, qtbot):
    app = launch()
    qtbot.keyClick(app.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not app.window.isVisible())


def test_tag_panel_shows_numbers_and_counts(launch, qtbot):
    from desktop_app.models.tag_list_model import TagRole

    app = launch()
    press(qtbot, app.window.reader, "jj1j1j2")
    model = app.window.tag_model
    rows = [
        (
            model.index(r).data(),
            model.index(r).data(TagRole.KeyNumber),
            model.index(r).data(TagRole.Count),
        )
        for r in range(model.rowCount())
    ]
    assert rows == [("trade", 1, 2), ("security", 2, 1), ("coalition", 3, 0)]
    swatch = model.index(0).data(TagRole.Colour)
    assert isinstance(swatch, QColor) and swatch.name() == app.session.tags[0].colour


def test_j_and_k_walk_touching_japanese_sentences_in_the_window(launch, qtbot, tmp_path):
    # Japanese sentences touch: J leaves the caret at a sentence's start, which is also the
    # previous sentence's end; the next J must still move on, and K come back.
    article = tmp_path / "japan.txt"
    article.write_text("日本の首相は東京にいる。彼は行った！本当に？はい。\n", encoding="utf-8")
    app = launch(article)
    text = app.session.document.text
    reader = app.window.reader

    def current() -> str:
        sentence = app.window.current_sentence
        assert sentence is not None
        return text[sentence.start : sentence.end]

    forward = []
    for _ in range(4):
        press(qtbot, reader, "j")
        forward.append(current())
    assert forward == ["日本の首相は東京にいる。", "彼は行った！", "本当に？", "はい。"]
    backward = []
    for _ in range(3):
        press(qtbot, reader, "k")
        backward.append(current())
    assert backward == ["本当に？", "彼は行った！", "日本の首相は東京にいる。"]
    press(qtbot, reader, "jj1")
    (annotation,) = app.session.annotations()
    assert annotation.exact == "本当に？"
