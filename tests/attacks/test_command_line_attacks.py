"""Names and failures the command line must survive: one line each, and the batch goes on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from attack_support import library_dump, make_library, run_cli, run_cli_process

from desktop_app.io import import_service


def test_a_file_name_that_is_not_utf8_is_refused_and_the_batch_goes_on(tmp_path: Path) -> None:
    library = tmp_path / "library.db"
    make_library(library)
    folder = os.fsencode(tmp_path)
    bad = folder + b"/caf\xe9.txt"
    good = folder + b"/good.txt"
    for name in (bad, good):
        with open(name, "wb") as file:
            file.write(b"Talks resumed on Monday in Geneva.\n" if name == bad else b"Other text.\n")
    outcome = run_cli_process("import", bad, good, "--db", library)
    assert outcome.code == 1
    assert "Traceback" not in outcome.err
    assert outcome.err_lines == [
        f"desktop-app: {tmp_path}/caf\\xe9.txt: the file name is not valid UTF-8; "
        "rename the file and import it again"
    ]
    assert "good.txt: imported as document 2" in outcome.out


def test_an_unexpected_error_is_one_line_that_names_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "library.db"
    before = make_library(library)
    article = tmp_path / "a.txt"
    article.write_text("Talks went on.\n", encoding="utf-8")

    def broken(*_args: object, **_kwargs: object) -> object:
        raise KeyError("a bug of ours")

    monkeypatch.setattr(import_service, "_store_new_or_find", broken)
    outcome = run_cli("import", article, "--db", library)
    assert outcome.code == 1
    [line] = outcome.err_lines
    assert line.startswith("desktop-app: unexpected error in import (KeyError: 'a bug of ours')")
    log = Path(line.split("the details are in ", 1)[1].split("; please", 1)[0])
    assert "Traceback" in log.read_text(encoding="utf-8")
    assert "a bug of ours" in log.read_text(encoding="utf-8")
    assert library_dump(library) == before


def test_the_log_of_a_test_stays_in_its_own_folder(tmp_path: Path) -> None:
    from desktop_app.diagnostics import log_path

    assert log_path().is_relative_to(tmp_path)
