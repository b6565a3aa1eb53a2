"""Random histories of annotating, undoing and restarting, checked after every step against a
plain in-memory model of what the library file must hold (a hypothesis state machine).

The machine drives the real pieces the window drives: a DocumentSession on a real SQLite file,
one QUndoStack, and the undo commands the reader and the codebook editor push (a number key is
the toggle rule of ReadingController.toggle_tag; a rename is what the codebook editor pushes).
"Restart" closes everything and opens the same file the way the app starts, with an empty undo
stack. The model knows nothing of the app: spans, tag ids, notes, and QUndoStack's rules (a new
command drops the redo tail; note saves of one editing session merge into one step).
"""

from __future__ import annotations

import gc
import sqlite3
import tempfile
import weakref
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication

from desktop_app.commands.annotation_commands import (
    CreateAnnotationCommand,
    DeleteAnnotationCommand,
    SetNoteCommand,
    SetTagsCommand,
)
from desktop_app.commands.tag_commands import UpdateTagCommand
from desktop_app.core.anchors import anchor_for
from desktop_app.core.tag_toggle import ToggleKind, plan_toggle
from desktop_app.models.document_session import DocumentSession
from desktop_app.storage.library_setup import prepare_library, start_document
from desktop_app.storage.library_store import LibraryStore

TEXT = (
    "Japan's freshly appointed leader met the president in Tokyo 𠮷野家.\n"
    "The focus of their summit 🤝 is expected to center on trade and security matters.\n"
    "Analysts 📈 say the coalition is two seats short of a majority."
)


def _span(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


# Where the reader may put annotations: a sentence, a part of it, and two parts of another
# sentence that overlap; with astral characters (code-point offsets differ from Qt's UTF-16).
# Few spans, so that a history often comes back to the same annotation.
SPANS = (
    _span("Japan's freshly appointed leader met the president in Tokyo 𠮷野家."),
    _span("Tokyo 𠮷野家"),
    _span("summit 🤝 is expected"),
    _span("expected to center on trade"),
)
NOTES = st.one_of(
    st.sampled_from(["", "Check the source.", "Speaker: 𠮷田 🗣", "two\nlines", "🤝" * 3]),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8),
)
TAG_NAMES = ("trade", "Trade", "security", "tariffs", "𠮷 culture", "émoji 🎌", "coalition ")


@dataclass(frozen=True)
class Stored:
    """One annotation as the model expects it in the file.

    Identity (id, uuid, creation time) is learnt from the file when the annotation is created;
    from then on an undo or redo must bring back exactly that annotation.
    """

    id: int
    uuid: str
    created: str
    tags: frozenset[int]
    note: str


@dataclass(frozen=True)
class Library:
    """What the file must hold: annotations by span, and tag names by id."""

    annotations: dict[tuple[int, int], Stored]
    tag_names: dict[int, str]


@dataclass
class Step:
    """One command on the model's undo stack: the library before and after it."""

    merge_key: tuple[object, ...] | None
    before: Library
    after: Library


@dataclass
class History:
    """QUndoStack's rules over snapshots of the model."""

    steps: list[Step] = field(default_factory=list)
    index: int = 0

    def push(self, merge_key: tuple[object, ...] | None, before: Library, after: Library) -> None:
        del self.steps[self.index :]
        top = self.steps[-1] if self.steps else None
        if merge_key is not None and top is not None and top.merge_key == merge_key:
            top.after = after  # merged: one undo step from the first state to the last
            return
        self.steps.append(Step(merge_key, before, after))
        self.index += 1

    def undo(self) -> Library | None:
        if self.index == 0:
            return None
        self.index -= 1
        return self.steps[self.index].before

    def redo(self) -> Library | None:
        if self.index == len(self.steps):
            return None
        self.index += 1
        return self.steps[self.index - 1].after


def read_file(path: Path) -> Library:
    """The annotations and tags in the library file, read with plain sqlite3."""
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            'SELECT id, uuid, start, "end", exact, prefix, suffix, note, created, document_id '
            "FROM annotations"
        ).fetchall()
        links = connection.execute("SELECT annotation_id, tag_id FROM annotation_tags").fetchall()
        tags = dict(connection.execute("SELECT id, name FROM tags").fetchall())
    tags_of: dict[int, set[int]] = {}
    for annotation_id, tag_id in links:
        tags_of.setdefault(annotation_id, set()).add(tag_id)
    annotations: dict[tuple[int, int], Stored] = {}
    for id_, uuid, start, end, exact, prefix, suffix, note, created, _document in rows:
        assert (start, end) not in annotations, f"two annotations on span {start}..{end}"
        # The anchor is the text's own code points, with its context either side.
        assert exact == TEXT[start:end]
        assert TEXT[:start].endswith(prefix) and TEXT[end:].startswith(suffix)
        stored = Stored(id_, uuid, created, frozenset(tags_of.get(id_, ())), note)
        annotations[(start, end)] = stored
    assert set(tags_of) <= {a.id for a in annotations.values()}
    return Library(annotations, tags)


class AnnotationHistory(RuleBasedStateMachine):
    """Create, retag, note, delete, undo, redo, rename tags and restart, in any order."""

    root: Path  # set by the test: where each example makes its library file

    def __init__(self) -> None:
        super().__init__()
        self.path = Path(tempfile.mkdtemp(dir=self.root)) / "library.db"
        self.store: LibraryStore | None = None
        self.session: DocumentSession | None = None
        self.stack: QUndoStack | None = None
        self.note_token = 0
        self.history = History()
        self.expected = Library({}, {})

    # -- the application side ------------------------------------------------------------------

    def start(self) -> None:
        """Open the library the way the app starts: prepare it, open the last document."""
        self.store = LibraryStore.open(self.path)
        prepare_library(self.store)
        document_id = start_document(self.store)
        self.session = DocumentSession(self.store)
        self.session.open_document(document_id)
        self.stack = QUndoStack()
        self.note_token += 1

    def quit(self) -> None:
        """Close everything, as quitting does; the session and stack are Python-owned, so
        dropping them deletes them (nothing carries over into the next example)."""
        if self.stack is not None:
            self.stack.clear()
        if self.store is not None:
            self.store.close()
        self.stack = self.session = self.store = None

    def push(self, command: QUndoCommand) -> None:
        assert self.stack is not None
        self.stack.push(command)

    def change(
        self,
        command: QUndoCommand,
        after: Callable[[Library], Library],
        merge_key: tuple[object, ...] | None = None,
    ) -> None:
        """Push `command`; the model goes from its state to `after(state)`."""
        before = self.expected
        self.push(command)
        self.expected = after(before)
        self.history.push(merge_key, before, self.expected)

    @property
    def document_id(self) -> int:
        assert self.session is not None and self.session.document is not None
        return self.session.document.id

    # -- rules ---------------------------------------------------------------------------------

    @initialize()
    def open_new_library(self) -> None:
        # The first start imports the sample article; ours replaces it as the open document.
        self.start()
        assert self.store is not None and self.session is not None
        document = self.store.add_document("Summit 🗾", "summit.txt", TEXT)
        self.session.open_document(document.id)
        self.expected = Library({}, {t.id: t.name for t in self.store.tags()})
        assert len(self.expected.tag_names) >= 3

    @rule(span=st.sampled_from(SPANS), number=st.integers(1, 3))
    def press_tag_key(self, span: tuple[int, int], number: int) -> None:
        """A number key on a span: create, add a tag, remove one, or delete with the last."""
        session = self.session
        assert session is not None
        tag = session.tag_for_key(number)
        assert tag is not None
        # What ReadingController.toggle_tag does with the target span.
        existing = session.annotation_with_span(*span)
        plan = plan_toggle(existing, tag.id, {t.id: t.position for t in session.tags})
        if existing is None:
            anchor = anchor_for(TEXT, *span)
            command: QUndoCommand = CreateAnnotationCommand(
                session, self.document_id, anchor, plan.tag_ids
            )
        elif plan.kind is ToggleKind.DELETE:
            command = DeleteAnnotationCommand(session, existing)
        else:
            command = SetTagsCommand(session, existing, plan.tag_ids)

        # The model's own idea of a toggle.
        current = self.expected.annotations.get(span)
        if current is None:
            self.push(command)
            created = self.learn_created(span)
            before = self.expected
            self.expected = Library(
                {**before.annotations, span: replace(created, tags=frozenset({tag.id}))},
                before.tag_names,
            )
            self.history.push(None, before, self.expected)
        elif current.tags == {tag.id}:
            self.change(command, lambda lib: without(lib, span))
        else:
            self.change(command, lambda lib: with_tags(lib, span, current.tags ^ {tag.id}))

    def learn_created(self, span: tuple[int, int]) -> Stored:
        """The identity the new annotation at `span` got in the file (checked to be new)."""
        found = read_file(self.path).annotations[span]
        live = {a.id for a in self.expected.annotations.values()}
        assert found.id not in live
        return found

    @precondition(lambda self: self.expected.annotations)
    @rule(data=st.data())
    def retag(self, data: st.DataObject) -> None:
        """Give an annotation another set of tags at once (as the claims review does)."""
        assert self.session is not None
        span = data.draw(st.sampled_from(sorted(self.expected.annotations)))
        tag_ids = data.draw(
            st.sets(st.sampled_from(sorted(self.expected.tag_names)), min_size=1), label="tags"
        )
        record = self.session.annotation_with_span(*span)
        assert record is not None
        ordered = sorted(tag_ids, key=lambda t: self.session.tag(t).position)  # type: ignore[union-attr]
        command = SetTagsCommand(self.session, record, ordered)
        self.change(command, lambda lib: with_tags(lib, span, frozenset(tag_ids)))

    @precondition(lambda self: self.expected.annotations)
    @rule(data=st.data(), note=NOTES, same_edit=st.booleans())
    def edit_note(self, data: st.DataObject, note: str, same_edit: bool) -> None:
        """Save a note, as the note editor does while the reader types (same_edit: without
        leaving the editor since the last save, so the saves merge into one undo step)."""
        assert self.session is not None
        span = data.draw(st.sampled_from(sorted(self.expected.annotations)))
        record = self.session.annotation_with_span(*span)
        assert record is not None
        if not same_edit:
            self.note_token += 1  # the editor was left: ReadingController starts a new edit
        if note == record.note:
            return  # ReadingController pushes nothing for an unchanged note
        command = SetNoteCommand(self.session, record, note, self.note_token)
        key = ("note", record.id, self.note_token)
        self.change(command, lambda lib: with_note(lib, span, note), merge_key=key)

    @precondition(lambda self: self.expected.annotations)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        """The Delete key on an annotation."""
        assert self.session is not None
        span = data.draw(st.sampled_from(sorted(self.expected.annotations)))
        record = self.session.annotation_with_span(*span)
        assert record is not None
        self.change(DeleteAnnotationCommand(self.session, record), lambda lib: without(lib, span))

    @rule(number=st.integers(1, 3), name=st.sampled_from(TAG_NAMES))
    def rename_tag(self, number: int, name: str) -> None:
        """Rename a tag in the codebook editor (which refuses a name another tag has)."""
        assert self.session is not None
        tag = self.session.tag_for_key(number)
        assert tag is not None
        cleaned = " ".join(name.split())
        others = [n.casefold() for i, n in self.expected.tag_names.items() if i != tag.id]
        if cleaned == tag.name or cleaned.casefold() in others:
            return
        command = UpdateTagCommand(self.session, tag, "name", name)
        self.change(command, lambda lib: renamed(lib, tag.id, cleaned))

    @precondition(lambda self: self.history.steps)
    @rule(presses=st.lists(st.sampled_from(("undo", "redo")), min_size=1, max_size=5))
    def step_through_history(self, presses: list[str]) -> None:
        """Ctrl+Z and Ctrl+Shift+Z in any order (past either end of the stack they do nothing),
        with the file checked after every press."""
        assert self.stack is not None
        for press in presses:
            self.note_token += 1  # a history step ends the note edit (ReadingController)
            if press == "undo":
                self.stack.undo()
                state = self.history.undo()
            else:
                self.stack.redo()
                state = self.history.redo()
            if state is not None:
                self.expected = state
            self.the_file_holds_what_the_model_says()

    @precondition(lambda self: len(self.history.steps) >= 3)  # else restarts crowd out the rest
    @rule()
    def restart(self) -> None:
        """Quit and start again on the same file: everything kept, nothing left to undo."""
        document_id = self.document_id
        self.quit()
        self.start()
        assert self.document_id == document_id
        self.history = History()

    # -- checks --------------------------------------------------------------------------------

    @invariant()
    def the_file_holds_what_the_model_says(self) -> None:
        if self.session is None:
            return
        assert read_file(self.path) == self.expected

    @invariant()
    def the_session_shows_what_the_file_holds(self) -> None:
        session = self.session
        if session is None:
            return
        shown = {
            (a.start, a.end): (a.id, frozenset(a.tag_ids), a.note) for a in session.annotations()
        }
        expected = {s: (a.id, a.tags, a.note) for s, a in self.expected.annotations.items()}
        assert shown == expected
        assert {t.id: t.name for t in session.tags} == self.expected.tag_names
        counts = Counter(t for a in self.expected.annotations.values() for t in a.tags)
        assert session.tag_counts() == counts

    @invariant()
    def the_undo_stack_has_the_model_steps(self) -> None:
        if self.stack is None:
            return
        assert (self.stack.count(), self.stack.index()) == (
            len(self.history.steps),
            self.history.index,
        )

    def teardown(self) -> None:
        self.quit()


def without(library: Library, span: tuple[int, int]) -> Library:
    annotations = dict(library.annotations)
    del annotations[span]
    return Library(annotations, library.tag_names)


def with_tags(library: Library, span: tuple[int, int], tags: frozenset[int]) -> Library:
    changed = replace(library.annotations[span], tags=tags)
    return Library({**library.annotations, span: changed}, library.tag_names)


def with_note(library: Library, span: tuple[int, int], note: str) -> Library:
    changed = replace(library.annotations[span], note=note)
    return Library({**library.annotations, span: changed}, library.tag_names)


def renamed(library: Library, tag_id: int, name: str) -> Library:
    return Library(library.annotations, {**library.tag_names, tag_id: name})


# Hypothesis turns random subsets of the rules off in each example (swarm testing), so an
# interaction of four rules (tag, note, delete, undo) needs a few dozen examples to show up.
HISTORY_SETTINGS = settings(
    max_examples=50,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_random_histories_keep_the_file_and_the_model_in_step(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every step of every history leaves the file, the session and the undo stack where the
    model says."""
    monkeypatch.setattr(AnnotationHistory, "root", tmp_path, raising=False)
    run_state_machine_as_test(AnnotationHistory, settings=HISTORY_SETTINGS)


def test_a_merged_note_save_does_not_keep_the_session_alive(
    qapp: QApplication, store: LibraryStore
) -> None:
    # PySide6 6.11 keeps the Python object of a QUndoCommand that QUndoStack deleted after
    # mergeWith() accepted it; the merged command must then hold nothing big.
    document = store.add_document("Summit", "summit.txt", TEXT)
    session = DocumentSession(store)
    session.open_document(document.id)
    record = session.create_annotation(document.id, anchor_for(TEXT, *SPANS[1]), [])
    stack = QUndoStack()
    first = SetNoteCommand(session, record, "draft", edit_token=7)
    second = SetNoteCommand(session, record, "draft, finished", edit_token=7)
    stack.push(first)
    stack.push(second)  # merges into `first`; Qt deletes the C++ side of `second`
    assert stack.count() == 1
    assert store.annotation(record.id).note == "draft, finished"
    stack.undo()
    assert store.annotation(record.id).note == ""
    stack.redo()
    assert store.annotation(record.id).note == "draft, finished"
    session_alive = weakref.ref(session)
    del first, second, session
    stack.clear()
    gc.collect()
    assert session_alive() is None
