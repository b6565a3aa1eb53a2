"""Which layer of desktop_app/ may import which, held by a test rather than by a reviewer.

Every `import` and `from ... import` of every module under desktop_app/ is read with `ast`,
those inside functions and under `if TYPE_CHECKING:` included, and checked against RULES.
The rules are per layer (a top-level package or module, and each part of ui/), not per file,
so modules can move and split inside a layer without touching this file; a new layer needs a
row here and in ARCHITECTURE.md, which explains the table.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "desktop_app"

# Where an import sits, which decides when it runs: at import time of its module, when a
# function is called, or never (only for the type checker).
Where = Literal["module", "function", "typing"]

ROOT = "desktop_app"  # the package's __init__: APP_NAME, APP_ID, __version__
QT = "Qt"  # PySide6 and shiboken6, widgets excepted
QT_WIDGETS = "Qt widgets"  # PySide6.QtWidgets
SQL = "SQLAlchemy"  # sqlalchemy and alembic
EXTERNAL = {"PySide6": QT, "shiboken6": QT, "sqlalchemy": SQL, "alembic": SQL}

UI_PARTS = ("ui.shell", "ui.reader", "ui.panels", "ui.dialogs", "ui.analysis")
# What every part of ui/ may import; only the shell, which opens the library, reaches storage.
UI_BASE = ("core", "io", "models", "commands", "resources", QT, QT_WIDGETS, ROOT)


@dataclass(frozen=True)
class Rule:
    """What a layer may import besides itself: anywhere; `lazily`, only inside a function or
    under TYPE_CHECKING (so importing the layer does not load it); `for_typing`, only under
    TYPE_CHECKING. Anything not named is forbidden."""

    anywhere: tuple[str, ...] = ()
    lazily: tuple[str, ...] = ()
    for_typing: tuple[str, ...] = ()

    def allows(self, target: str, where: Where) -> bool:
        """Whether an import of `target` placed `where` keeps to this rule."""
        allowed = {
            "module": self.anywhere,
            "function": self.anywhere + self.lazily,
            "typing": self.anywhere + self.lazily + self.for_typing,
        }
        return target in allowed[where]

    def refusal(self, item: Import) -> str | None:
        """Why `item` breaks this rule, in words; None when it keeps to it."""
        if self.allows(item.target, item.where):
            return None
        if item.target in self.lazily:
            how = "only inside a function or under TYPE_CHECKING"
        elif item.target in self.for_typing:
            how = "only under TYPE_CHECKING"
        else:
            return f"{item.layer} may not import {item.target}"
        return f"{item.layer} may import {item.target} {how}"


# Keep in step with the table in ARCHITECTURE.md.
RULES: dict[str, Rule] = {
    ROOT: Rule(),
    "core": Rule(),
    "resources": Rule(anywhere=(ROOT,)),
    "paths": Rule(anywhere=(ROOT,)),
    "diagnostics": Rule(anywhere=(ROOT,)),
    "storage": Rule(anywhere=("core", "resources", SQL, ROOT)),
    "io": Rule(anywhere=("core", "storage", "resources", ROOT)),
    "models": Rule(anywhere=("core", QT, ROOT), lazily=("storage", "io")),
    "commands": Rule(anywhere=("core", "models", QT, ROOT), for_typing=("storage",)),
    "ui": Rule(anywhere=("ui.shell",)),
    "ui.shell": Rule(
        anywhere=(*UI_BASE, "storage", "diagnostics", *UI_PARTS),
    ),
    "ui.reader": Rule(anywhere=(*UI_BASE, "ui.shell")),
    "ui.panels": Rule(anywhere=(*UI_BASE, "ui.shell", "ui.reader")),
    "ui.dialogs": Rule(anywhere=(*UI_BASE, "ui.shell", "ui.reader", "ui.panels")),
    "ui.analysis": Rule(anywhere=(*UI_BASE, "ui.shell", "ui.reader", "ui.panels")),
    "cli": Rule(
        anywhere=(ROOT,), lazily=("core", "storage", "io", "diagnostics", "paths", "resources")
    ),
    "app": Rule(
        anywhere=("cli", ROOT),
        lazily=(QT, QT_WIDGETS, "diagnostics", "paths", "resources", "ui.shell", "ui.dialogs"),
    ),
    "__main__": Rule(anywhere=("app",)),
}

# Imports that break a rule today, by importing layer and imported module (not by file, so
# they survive a move inside the layer), each with what would mend it. Remove a line when
# the import is gone; test_every_known_break_is_still_there says when.
KNOWN_BREAKS: dict[tuple[str, str], str] = {
    ("ui.reader", "desktop_app.ui.panels.side_panel"): (
        "the reading controller joins the reader to the side panel: it belongs in ui/shell, "
        "or should take the panel through a small Protocol"
    ),
}


@dataclass(frozen=True)
class Import:
    """One import statement's target, as the checker sees it."""

    path: Path
    line: int
    layer: str
    module: str  # the imported module, e.g. desktop_app.storage.errors or PySide6.QtCore
    target: str  # the imported module's layer
    where: Where

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.layer} imports {self.module} ({self.where})"


def layer_of(module: str) -> str | None:
    """The layer a dotted module name belongs to; None for modules no rule is about."""
    top, *rest = module.split(".")
    if top in EXTERNAL:
        return QT_WIDGETS if module.startswith("PySide6.QtWidgets") else EXTERNAL[top]
    if top != ROOT:
        return None
    if not rest:
        return ROOT
    if rest[0] == "ui" and len(rest) > 1:
        return f"ui.{rest[1]}"
    return rest[0]


def scan(package: Path) -> Iterator[Import]:
    """Every import of a desktop_app/ layer, Qt or SQLAlchemy in the modules under `package`."""
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package.parent)
        parts = relative.with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        here = ".".join(parts[:-1])  # the package relative imports start from
        layer = layer_of(name)
        assert layer is not None
        for node, where in _placed_imports(ast.parse(path.read_text(encoding="utf-8")).body):
            for module in _modules_named(node, here, package):
                target = layer_of(module)
                if target is not None and target != layer:
                    yield Import(relative, node.lineno, layer, module, target, where)


def _placed_imports(
    nodes: Iterable[ast.AST], where: Where = "module"
) -> Iterator[tuple[ast.Import | ast.ImportFrom, Where]]:
    """The import statements among `nodes` and inside them, each with where it sits."""
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, where
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _placed_imports(node.body, "typing")
            yield from _placed_imports(node.orelse, where)
        else:
            function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            inner: Where = "function" if function and where == "module" else where
            yield from _placed_imports(ast.iter_child_nodes(node), inner)


def _is_type_checking(test: ast.expr) -> bool:
    """`if TYPE_CHECKING:` or `if typing.TYPE_CHECKING:`."""
    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", None)
    return name == "TYPE_CHECKING"


def _modules_named(node: ast.Import | ast.ImportFrom, here: str, package: Path) -> list[str]:
    """The modules an import statement loads: `from a import b` loads a.b if b is a module."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = here.split(".")[: len(here.split(".")) - node.level + 1] if node.level else []
    module = ".".join([*base, node.module] if node.module else base)
    if module.split(".")[0] in EXTERNAL:
        return [f"{module}.{alias.name}" for alias in node.names]
    folder = package.parent.joinpath(*module.split("."))
    return [
        f"{module}.{alias.name}"
        if (folder / alias.name).is_dir() or (folder / f"{alias.name}.py").is_file()
        else module
        for alias in node.names
    ]


def broken(imports: Iterable[Import], rules: dict[str, Rule]) -> list[tuple[Import, str]]:
    """The imports that break `rules`, each with the rule it breaks, in words."""
    found = []
    for item in imports:
        rule = rules.get(item.layer)
        why = f"no rule for the layer {item.layer}: add one" if rule is None else rule.refusal(item)
        if why is not None:
            found.append((item, why))
    return found


def test_every_import_keeps_to_the_layers() -> None:
    found = broken(scan(PACKAGE), RULES)
    unexpected = [f"{i}: {why}" for i, why in found if (i.layer, i.module) not in KNOWN_BREAKS]
    assert not unexpected, "imports across the layers (see ARCHITECTURE.md):\n" + "\n".join(
        unexpected
    )


def test_every_known_break_is_still_there() -> None:
    found = {(item.layer, item.module) for item, _ in broken(scan(PACKAGE), RULES)}
    mended = sorted(set(KNOWN_BREAKS) - found)
    assert not mended, f"mended, so remove from KNOWN_BREAKS: {mended}"


def test_every_rule_names_known_layers() -> None:
    layers = set(RULES) | {QT, QT_WIDGETS, SQL}
    named = {t for rule in RULES.values() for t in rule.anywhere + rule.lazily + rule.for_typing}
    assert named <= layers


def write(package: Path, files: dict[str, str]) -> None:
    """A package made of `files` (path under `package` -> source)."""
    for name, source in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


def test_the_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    package = tmp_path / "desktop_app"
    write(
        package,
        {
            "__init__.py": "",
            "core/__init__.py": "",
            "core/text.py": "import json\nimport pysbd\nfrom desktop_app.core import offsets\n",
            "core/offsets.py": "from ..storage import orm\n",
            "core/colours.py": "def shade():\n    from PySide6.QtGui import QColor\n",
            "storage/__init__.py": "",
            "storage/orm.py": "import sqlalchemy\n",
            "models/__init__.py": "",
            "models/session.py": (
                "from typing import TYPE_CHECKING\n"
                "from PySide6.QtCore import QObject\n"
                "from desktop_app.storage import orm\n"
                "if TYPE_CHECKING:\n"
                "    from desktop_app.io.exports import Rendered\n"
                "def export():\n"
                "    from desktop_app.io import exports\n"
                "    from PySide6 import QtWidgets\n"
            ),
            "commands/__init__.py": "",
            "commands/tags.py": "def undo():\n    from desktop_app.storage.tags import Removal\n",
            "cli.py": "from desktop_app import APP_NAME, storage\n",
            "plugins/__init__.py": "from desktop_app import core\n",
        },
    )

    found = {
        f"{i.path.relative_to(package.name)}:{i.line}": why
        for i, why in broken(scan(package), RULES)
    }

    assert found == {
        "core/offsets.py:1": "core may not import storage",
        "core/colours.py:2": "core may not import Qt",
        "models/session.py:3": (
            "models may import storage only inside a function or under TYPE_CHECKING"
        ),
        "models/session.py:8": "models may not import Qt widgets",
        "commands/tags.py:2": "commands may import storage only under TYPE_CHECKING",
        "cli.py:1": "cli may import storage only inside a function or under TYPE_CHECKING",
        "plugins/__init__.py:1": "no rule for the layer plugins: add one",
    }


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("desktop_app", ROOT),
        ("desktop_app.ui", "ui"),
        ("desktop_app.ui.reader.article_view", "ui.reader"),
        ("desktop_app.io.readers.pdf_document", "io"),
        ("desktop_app.cli", "cli"),
        ("PySide6.QtWidgets.QLabel", QT_WIDGETS),
        ("PySide6.QtCore", QT),
        ("alembic.op", SQL),
        ("lxml.etree", None),
    ],
)
def test_layer_of(module: str, layer: str | None) -> None:
    assert layer_of(module) == layer
