"""Remake the README's pictures: the real app on the sample article with a few claims tagged.

Scenes (each in light or dark colours, forced the way View › Colours forces them):
  reader    the main window (docs/screenshot.png, light by default)
  analysis  the Analysis view (docs/analysis-dark.png, dark by default)
  codebook  the codebook editor (Ctrl+Shift+T) with trade › tariffs and trade › purchases
  claims    the claims review (Ctrl+R): a dozen claims across two articles, with stance,
            speaker and check-worthiness on most of them
  versions  the versions view (Ctrl+Shift+D) after an edited second version of the sample
            article was imported and its annotations carried: placed, to review, orphaned
  review    the main window on that second version, the side panel's "To review" list shown
A scene name may end in -light or -dark ("codebook-dark"); without it, the scene's default.
Run by `make screenshot` under Xvfb (a real X server, so fonts and rendering are the real ones).
Usage: python packaging/make_screenshot.py OUTPUT.png [SCENE[-light|-dark]]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app import APP_NAME
from desktop_app.core.anchors import anchor_for
from desktop_app.core.change_report import ChangeReport
from desktop_app.core.codebook import TagSpec
from desktop_app.ui.shell.application import ClaimmarkApplication

SCENES = ("reader", "analysis", "codebook", "claims", "versions", "review")
LOOKS = ("light", "dark")
DEFAULT_LOOK = {"analysis": "dark"}

# A second article, so the claims review has more than one to show.
SECOND_TITLE = "Tokyo weighs tariff relief as Trump visit nears"
SECOND_TEXT = (
    "Japanese officials are preparing a package of purchases meant to head off new US tariffs "
    "on cars and auto parts.\n"
    "The trade minister said on Tuesday that Japan would buy more American soybeans, liquefied "
    "natural gas and pickup trucks.\n"
    "Economists at a Tokyo bank estimate that the existing 15 percent duty already costs "
    "exporters about 2 trillion yen a year.\n"
    "Opposition leaders accused the government of conceding too much before the talks had even "
    "begun.\n"
    "A senior official insisted that no concessions on rice would be offered.\n"
    "Defence officials are expected to brief the president on plans to double military "
    "spending within five years.\n"
    "Analysts say the coalition could struggle to pass the supplementary budget that the "
    "purchases require.\n"
)

# The sample article as a newspaper might revise it after publication: one sentence lightly
# corrected, one rewritten, one removed, one added. Carrying the annotations over then places
# some, leaves some to review and orphans one.
REVISIONS = (
    (
        "The prime minister confronts a potentially unstable government situation, having formed "
        "a coalition that puts her two seats short of a controlling number",
        "The prime minister confronts a fragile government situation, having formed "
        "a coalition that leaves her two seats short of a majority",
    ),
    (
        "adding a element of difficulty to her leadership.",
        "adding an element of difficulty to her leadership.",
    ),
    (
        'Japan has also taken steps to acquire "retaliatory" capabilities, including cruise '
        "weapons from the US, and intends to use domestically developed longer-range missiles.\n",
        "",
    ),
    (
        "This move aligns with a longstanding request from Trump and represents",
        "The move answers a long-standing demand from Washington and would be",
    ),
    (
        "Recently, Trump oversaw a ceasefire deal",
        "Officials in Tokyo said on Monday that the summit agenda had been agreed.\n"
        "Recently, Trump oversaw a ceasefire deal",
    ),
)


def parse_scene(name: str) -> tuple[str, str] | None:
    """("codebook", "dark") for "codebook-dark"; the scene's default look without a suffix."""
    scene, _, look = name.partition("-")
    if scene not in SCENES or (look and look not in LOOKS):
        return None
    return scene, look or DEFAULT_LOOK.get(scene, "light")


def tag_sample(claimmark: ClaimmarkApplication) -> None:
    """Tag the sample article the way a reader would, with real key presses."""
    window = claimmark.window
    reader = window.reader
    text = claimmark.session.document.text
    for keys in ("jj12", "jjj3", "j3", "jjjj2", "j2"):
        for key in keys:
            QTest.keyClick(reader, key)
    # A partial claim inside a tagged sentence: the overlap shows both colours.
    start = text.index("two seats short of a controlling number")
    reader.select_span(start, start + len("two seats short of a controlling number"))
    QTest.keyClick(reader, "2")
    # Back to the second sentence, with a note on it.
    for _ in range(3):
        QTest.keyClick(reader, "k")
    QTest.keyClick(reader, "n")
    QTest.keyClicks(
        window.side_panel.note_editor, "Framing: trade first, security second. Check the agenda."
    )
    QTest.keyClick(window.side_panel.note_editor, Qt.Key.Key_Escape)


def annotate(
    claimmark: ClaimmarkApplication,
    document_id: int,
    quote: str,
    tags: list[str],
    note: str = "",
    fields: tuple[str, str, int | None] | None = None,
) -> None:
    """One claim through the session (so the open window follows), with its claim fields."""
    session = claimmark.session
    text = session.library.document(document_id).text
    start = text.index(quote)
    by_name = {t.name: t.id for t in session.tags}
    record = session.create_annotation(
        document_id,
        anchor_for(text, start, start + len(quote)),
        [by_name[n] for n in tags],
        note,
        follow=False,
    )
    if fields is not None:
        session.set_claim_fields(document_id, record.id, *fields, follow=False)


def nest_trade(claimmark: ClaimmarkApplication) -> None:
    """trade › tariffs and trade › purchases, as the codebook editor's Nest would make them."""
    session = claimmark.session
    trade = next(t for t in session.tags if t.name == "trade")
    session.add_tag(
        TagSpec("tariffs", "#CC79A7", "Duties on imports and exports, and relief from them."),
        parent_id=trade.id,
    )
    session.add_tag(
        TagSpec("purchases", "#D55E00", "Promises to buy the other side's goods."),
        parent_id=trade.id,
    )


def stage_claims(claimmark: ClaimmarkApplication) -> None:
    """A dozen claims across the sample and a second article, most with claim fields."""
    session = claimmark.session
    first = session.document.id
    nest_trade(claimmark)
    # Claim fields on the annotations the key presses made.
    speakers = (
        ("supports", "Takaichi", 4),
        ("neutral", "", 2),
        ("opposes", "Opposition MPs", 3),
        ("supports", "Takaichi", 5),
        ("unclear", "", None),
    )
    for record, fields in zip(session.annotations(), speakers, strict=False):
        session.set_claim_fields(first, record.id, *fields)
    annotate(
        claimmark,
        first,
        "latest duty adjustments offered some ease to Japan's export sector",
        ["tariffs"],
        "Which adjustments? The 15% deal of July.",
        ("supports", "", 3),
    )
    annotate(
        claimmark,
        first,
        "promising increased acquisitions of US products, including pickup trucks, soybeans, "
        "and gas",
        ["purchases"],
        "",
        ("neutral", "Takaichi", 4),
    )
    second = claimmark.store.add_document(
        SECOND_TITLE,
        "Claimmark screenshot",
        SECOND_TEXT,
        site="example.org",
        published="2025-10-27",
    ).id
    annotate(
        claimmark,
        second,
        "a package of purchases meant to head off new US tariffs on cars and auto parts",
        ["tariffs", "purchases"],
        "Compare with the July agreement.",
        ("supports", "Japanese officials", 3),
    )
    annotate(
        claimmark,
        second,
        "Japan would buy more American soybeans, liquefied natural gas and pickup trucks",
        ["purchases"],
        "",
        ("supports", "Trade minister", 4),
    )
    annotate(
        claimmark,
        second,
        "the existing 15 percent duty already costs exporters about 2 trillion yen a year",
        ["tariffs"],
        "A number to check: which bank, which year?",
        ("neutral", "Economists", 5),
    )
    annotate(
        claimmark,
        second,
        "accused the government of conceding too much before the talks had even begun",
        ["trade", "coalition"],
        "",
        ("opposes", "Opposition leaders", 2),
    )
    annotate(
        claimmark,
        second,
        "no concessions on rice would be offered",
        ["trade"],
        "",
        ("opposes", "Senior official", 3),
    )
    annotate(
        claimmark,
        second,
        "plans to double military spending within five years",
        ["security"],
        "",
        None,
    )
    annotate(
        claimmark,
        second,
        "the coalition could struggle to pass the supplementary budget",
        ["coalition"],
        "",
        ("unclear", "Analysts", None),
    )
    session.absorb(ChangeReport.of(documents=(second,)))


def stage_versions(claimmark: ClaimmarkApplication) -> None:
    """Import an edited second version of the sample article and carry the annotations over,
    as `desktop-app import FILE --version-of ID` does; then open it, as the app does."""
    from desktop_app.storage.version_carrying import carry_annotations

    session = claimmark.session
    old = session.document
    text = old.text
    for before, after in REVISIONS:
        if before not in text:
            raise SystemExit(f"the sample article changed: {before[:40]!r} is not in it")
        text = text.replace(before, after)
    new_id = claimmark.store.add_document(old.title, old.source, text).id
    report = carry_annotations(claimmark.store, old.id, new_id, link=True)
    print(report.summary())
    session.absorb(report.changes)
    session.open_document(new_id)


def stage(claimmark: ClaimmarkApplication, output: Path, scene: str, look: str) -> None:
    """Force the colours, tag the sample article, build the scene, then save it."""
    window = claimmark.window
    window.comfort.set_appearance(look)  # what View › Colours › Light / Dark does
    window.resize(1280, 800)
    tag_sample(claimmark)
    window.reader.verticalScrollBar().setValue(0)
    target: QWidget = window
    if scene == "analysis":
        window.show_analysis()
        target = window.analysis.view
    elif scene == "codebook":
        nest_trade(claimmark)
        tag_nested(claimmark)
        window.show_codebook()
        tariffs = next(t for t in claimmark.session.tags if t.name == "tariffs")
        window.codebook_dialog.select(tariffs.id)
        target = window.codebook_dialog
    elif scene == "claims":
        stage_claims(claimmark)
        window.show_claims()
        window.claims_dialog.table.selectRow(2)
        target = window.claims_dialog
    elif scene in ("versions", "review"):
        stage_versions(claimmark)
        window.reader.verticalScrollBar().setValue(0)
        if scene == "versions":
            window.show_versions(None)
            versions = window.versions_dialog
            if versions.review.count():
                versions.review.setCurrentRow(0)
            target = versions
        else:
            # The orphaned card is the last: choosing it scrolls the list to show it.
            panel = window.side_panel.review_panel
            panel.list.setCurrentIndex(panel.model.index(panel.model.rowCount() - 1, 0))
    QTimer.singleShot(400, lambda: save(target, output))


def tag_nested(claimmark: ClaimmarkApplication) -> None:
    """A few annotations with the nested tags, so the codebook's Uses column is not all zeros."""
    first = claimmark.session.document.id
    annotate(
        claimmark,
        first,
        "latest duty adjustments offered some ease to Japan's export sector",
        ["tariffs"],
    )
    annotate(
        claimmark,
        first,
        "promising increased acquisitions of US products, including pickup trucks, soybeans, "
        "and gas",
        ["purchases"],
    )
    annotate(claimmark, first, 'America-first" economic policies', ["tariffs"])


def save(widget: QWidget, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(output)):
        raise SystemExit(f"could not write {output}")
    print(f"wrote {output}")
    QApplication.quit()


def main(argv: list[str]) -> int:
    chosen = parse_scene(argv[2]) if len(argv) == 3 else ("reader", "light")
    if len(argv) not in (2, 3) or chosen is None:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    output = Path(argv[1]).resolve()
    scene, look = chosen
    app = QApplication([argv[0]])
    app.setApplicationName(APP_NAME)
    with tempfile.TemporaryDirectory() as folder:
        claimmark = ClaimmarkApplication(Path(folder) / "library.db", Path(folder) / "settings.ini")
        claimmark.ready.connect(
            lambda: QTimer.singleShot(200, lambda: stage(claimmark, output, scene, look))
        )
        claimmark.start(None)
        code = app.exec()
        claimmark.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
