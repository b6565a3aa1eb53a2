"""Tagging text with emoji and astral CJK: offsets stay in code points end to end."""

from __future__ import annotations

from gui_actions import drag_select

ASTRAL_ARTICLE = (
    "😀 Markets rallied in Tokyo. 𠮷野家 raised prices by 2.5% 🍚.\n"
    "日本の首相は東京にいる。彼女は会談に臨んだ！\n"
    'Café owners (e\u0301) said "enough." The 🇯🇵 flag flew.\n'
)


def test_keyboard_and_mouse_tagging_store_code_points(launch, qtbot, tmp_path):
    article = tmp_path / "astral.txt"
    article.write_text(ASTRAL_ARTICLE, encoding="utf-8")
    app = launch(file=article)
    text = app.session.document.text
    assert text == ASTRAL_ARTICLE
    view = app.window.reader
    qtbot.keyClick(view, "j")
    qtbot.keyClick(view, "j")
    qtbot.keyClick(view, "1")
    (first,) = app.session.annotations()
    assert first.exact == "𠮷野家 raised prices by 2.5% 🍚."
    assert text[first.start : first.end] == first.exact
    assert first.start == text.index("𠮷")

    for _ in range(2):
        qtbot.keyClick(view, "j")
    qtbot.keyClick(view, "3")
    japanese = [a for a in app.session.annotations() if a.exact.startswith("彼女")]
    assert japanese and japanese[0].exact == "彼女は会談に臨んだ！"

    start = text.index("The 🇯🇵")
    end = start + len("The 🇯🇵 flag")
    drag_select(view, start, end)
    assert view.selected_span() == (start, end)
    qtbot.keyClick(view, "2")
    flag = next(a for a in app.session.annotations() if "flag" in a.exact)
    assert flag.exact == "The 🇯🇵 flag"
    assert (flag.start, flag.end) == (start, end)
    stored = app.store.annotations(app.session.document.id)
    assert all(text[a.start : a.end] == a.exact for a in stored)
