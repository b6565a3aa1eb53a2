"""Desktop-integration files: the .desktop entry, the AppStream metainfo and the app icon.

The validators are Debian tools (`desktop-file-validate` from desktop-file-utils, `appstreamcli`
from appstream). CI installs them; where they are missing the tests that need them are skipped.
"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop_app import APP_ID, __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DESKTOP_FILE = PACKAGING / f"{APP_ID}.desktop"
METAINFO_FILE = PACKAGING / f"{APP_ID}.metainfo.xml"
ICON_FILE = ROOT / "resources" / "icon.svg"
PYPROJECT = ROOT / "pyproject.toml"

SVG_NS = "{http://www.w3.org/2000/svg}"
TIMEOUT = 60  # seconds; the validators answer in well under one without network access


def _tool(name: str, debian_package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"`{name}` is not installed (Debian package: {debian_package})")
    return path


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def _list_value(value: str) -> list[str]:
    """A .desktop list value (`a;b;c;`) as a list."""
    return [item for item in value.split(";") if item]


def _metainfo() -> ET.Element:
    return ET.parse(METAINFO_FILE).getroot()


def _appstream_problems(output: str) -> list[str]:
    """The error and warning lines of an `appstreamcli validate` text report (infos are fine)."""
    return [line for line in output.splitlines() if re.match(r"\s*[EW]: ", line)]


# --- validators -------------------------------------------------------------------------------


def test_desktop_file_passes_desktop_file_validate() -> None:
    tool = _tool("desktop-file-validate", "desktop-file-utils")
    result = _run(tool, DESKTOP_FILE)
    assert result.returncode == 0, result.stdout + result.stderr
    # Not even hints: the validator prints nothing for a clean file.
    assert result.stdout == ""
    assert result.stderr == ""


def test_metainfo_passes_appstreamcli_validate() -> None:
    tool = _tool("appstreamcli", "appstream")
    result = _run(tool, "validate", "--no-net", "--pedantic", METAINFO_FILE)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert _appstream_problems(report) == [], report


def test_installed_tree_passes_appstreamcli_validate_tree(tmp_path: Path) -> None:
    """Laid out as a distribution installs them, the files must agree with one another
    (the metainfo's launchable must name an existing .desktop file, and so on)."""
    tool = _tool("appstreamcli", "appstream")
    share = tmp_path / "usr" / "share"
    targets = {
        DESKTOP_FILE: share / "applications" / DESKTOP_FILE.name,
        METAINFO_FILE: share / "metainfo" / METAINFO_FILE.name,
        ICON_FILE: share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
    }
    for source, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    result = _run(tool, "validate-tree", "--no-net", "--pedantic", tmp_path)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert _appstream_problems(report) == [], report


# --- consistency ------------------------------------------------------------------------------


def test_desktop_exec_runs_the_declared_gui_script() -> None:
    with PYPROJECT.open("rb") as f:
        project = tomllib.load(f)["project"]
    gui_scripts = project["gui-scripts"]
    entry = _desktop_entry()
    command, *arguments = entry["Exec"].split()
    assert command in gui_scripts, f"Exec runs {command!r}, not one of {sorted(gui_scripts)}"
    assert gui_scripts[command] == "desktop_app.app:main"
    assert arguments == ["%f"], "the app opens one optional file"
    assert entry["TryExec"] == command


def test_desktop_entry_fields() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Claimmark"
    assert entry["Terminal"] == "false"
    assert entry["Icon"] == APP_ID, "the icon is installed under the app id"
    assert set(_list_value(entry["MimeType"])) == {"text/plain", "text/markdown"}


def test_desktop_file_and_metainfo_agree() -> None:
    entry = _desktop_entry()
    root = _metainfo()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert DESKTOP_FILE.stem == APP_ID
    assert METAINFO_FILE.name == f"{APP_ID}.metainfo.xml"
    assert root.findtext("name") == entry["Name"]

    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE.name

    command = entry["Exec"].split()[0]
    assert [b.text for b in root.iterfind("provides/binary")] == [command]
    mediatypes = {m.text for m in root.iterfind("provides/mediatype")}
    assert mediatypes == set(_list_value(entry["MimeType"]))
    categories = [c.text for c in root.iterfind("categories/category")]
    assert categories == _list_value(entry["Categories"])


def test_metainfo_release_matches_the_package_version() -> None:
    with PYPROJECT.open("rb") as f:
        version = tomllib.load(f)["project"]["version"]
    assert version == __version__
    releases = _metainfo().findall("releases/release")
    assert releases, "the metainfo lists no release"
    newest = releases[0]  # AppStream lists releases newest first
    assert newest.get("version") == version
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", newest.get("date", ""))


# --- icon -------------------------------------------------------------------------------------


def test_icon_is_self_contained_svg() -> None:
    root = ET.parse(ICON_FILE).getroot()
    assert root.tag == f"{SVG_NS}svg"
    view_box = root.get("viewBox")
    assert view_box is not None, "the icon needs a viewBox to scale"
    assert [float(n) for n in view_box.replace(",", " ").split()] == [0, 0, 128, 128]

    for element in root.iter():
        local_name = element.tag.rpartition("}")[2]
        assert local_name not in {"script", "foreignObject", "image", "text", "use"}, local_name
        for attribute, value in element.attrib.items():
            attribute_name = attribute.rpartition("}")[2]
            assert not attribute_name.lower().startswith("on"), f"event handler {attribute}"
            if attribute_name == "href":
                assert value.startswith("#"), f"external reference {value!r}"
            for reference in re.findall(r"url\(\s*['\"]?([^'\")\s]*)", value):
                assert reference.startswith("#"), f"external reference {reference!r}"


def test_icon_renders_with_qt() -> None:
    """The app loads the SVG through Qt; it must parse and paint something there."""
    qtsvg = pytest.importorskip("PySide6.QtSvg")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    renderer = qtsvg.QSvgRenderer(str(ICON_FILE))
    assert renderer.isValid()
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    assert image.pixelColor(32, 32).alpha() == 255, "the page is opaque"
    assert image.pixelColor(0, 0).alpha() == 0, "the corners are left transparent"
