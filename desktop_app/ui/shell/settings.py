"""The window's remembered state (geometry, panel widths, the library panel shown or not,
zoom, colours, reading font, last export folder) and the backup rotation, in one typed wrapper
over QSettings, so keys and types live in one place.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

DEFAULT_IMPORT_LIMIT_MB = 20.0

APPEARANCES = ("system", "light", "dark")


class AppSettings:
    """Typed access to the per-user settings file (an INI file, so tests can point it anywhere)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def window_geometry(self) -> QByteArray | None:
        """Saved main-window geometry, or None."""
        return self._bytes("window/geometry")

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._settings.setValue("window/geometry", value)

    @property
    def splitter_state(self) -> QByteArray | None:
        """Saved reader/panel split, or None."""
        return self._bytes("window/splitter")

    @splitter_state.setter
    def splitter_state(self, value: QByteArray) -> None:
        self._settings.setValue("window/splitter", value)

    @property
    def library_shown(self) -> bool:
        """Whether the library panel was open (Ctrl+L); the splitter's state keeps only sizes."""
        return str(self._settings.value("window/library_shown", "true")).lower() != "false"

    @library_shown.setter
    def library_shown(self, value: bool) -> None:
        self._settings.setValue("window/library_shown", "true" if value else "false")

    @property
    def zoom(self) -> int:
        """Reader zoom step."""
        value = self._settings.value("reader/zoom", 0)
        try:
            return int(str(value))
        except ValueError:
            return 0

    @zoom.setter
    def zoom(self, value: int) -> None:
        self._settings.setValue("reader/zoom", int(value))

    @property
    def appearance(self) -> str:
        """ "system" (follow the desktop's light or dark), "light" or "dark"."""
        value = str(self._settings.value("reader/appearance", "system"))
        return value if value in APPEARANCES else "system"

    @appearance.setter
    def appearance(self, value: str) -> None:
        self._settings.setValue("reader/appearance", value if value in APPEARANCES else "system")

    @property
    def reading_family(self) -> str:
        """The reading face chosen in View › Font…, or "" for Claimmark's own."""
        return str(self._settings.value("reader/font_family", "") or "")

    @reading_family.setter
    def reading_family(self, value: str) -> None:
        self._settings.setValue("reader/font_family", value)

    @property
    def reading_size(self) -> float | None:
        """The reading size in points chosen in View › Font…, or None for the default."""
        value = self._settings.value("reader/font_size", "")
        try:
            size = float(str(value))
        except ValueError:
            return None
        return size if 4 <= size <= 96 else None

    @reading_size.setter
    def reading_size(self, value: float) -> None:
        self._settings.setValue("reader/font_size", float(value))

    @property
    def import_limit_mb(self) -> float:
        """Largest file the window imports, in MB (`[import] max_size_mb` in the file)."""
        value = self._settings.value("import/max_size_mb", DEFAULT_IMPORT_LIMIT_MB)
        try:
            limit = float(str(value))
        except ValueError:
            return DEFAULT_IMPORT_LIMIT_MB
        return limit if limit > 0 else DEFAULT_IMPORT_LIMIT_MB

    def _whole_number(self, key: str, default: int, lowest: int, highest: int) -> int:
        """An integer setting, with `default` for a missing or mistyped value and the range
        enforced: the file is plain text that a reader may edit by hand."""
        try:
            number = int(str(self._settings.value(key, default)))
        except ValueError:
            return default
        return min(max(number, lowest), highest)

    @property
    def backups_kept(self) -> int:
        """How many backups of the library to keep (`[backup] kept`; 1 to 100, 5 at first)."""
        # Imported here: this module loads before the first paint, backups (~15 ms) need not.
        from desktop_app.storage.backups import DEFAULT_BACKUPS_KEPT

        return self._whole_number("backup/kept", DEFAULT_BACKUPS_KEPT, 1, 100)

    @backups_kept.setter
    def backups_kept(self, value: int) -> None:
        self._settings.setValue("backup/kept", int(value))

    @property
    def changes_between_backups(self) -> int:
        """Committed changes after which another backup is made (`[backup] changes_between`)."""
        from desktop_app.storage.backups import DEFAULT_CHANGES_BETWEEN_BACKUPS

        return self._whole_number(
            "backup/changes_between", DEFAULT_CHANGES_BETWEEN_BACKUPS, 1, 100_000
        )

    @changes_between_backups.setter
    def changes_between_backups(self, value: int) -> None:
        self._settings.setValue("backup/changes_between", int(value))

    @property
    def export_format(self) -> str:
        """The export format chosen last ("markdown" at first)."""
        value = self._settings.value("export/format", "markdown")
        return value if isinstance(value, str) else "markdown"

    @export_format.setter
    def export_format(self, value: str) -> None:
        self._settings.setValue("export/format", value)

    @property
    def export_scope(self) -> str:
        """The export scope chosen last ("document", "library" or "each")."""
        value = self._settings.value("export/scope", "document")
        return value if isinstance(value, str) else "document"

    @export_scope.setter
    def export_scope(self, value: str) -> None:
        self._settings.setValue("export/scope", value)

    @property
    def export_folder(self) -> str:
        """Folder of the last export ("" when there has been none)."""
        value = self._settings.value("export/folder", "")
        return value if isinstance(value, str) else ""

    @export_folder.setter
    def export_folder(self, value: str) -> None:
        self._settings.setValue("export/folder", value)

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self._settings.sync()
