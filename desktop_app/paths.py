"""Where Claimmark keeps its files by default (per-user, per-platform, via platformdirs)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from desktop_app import APP_NAME


def default_database_path() -> Path:
    """The library file used when `--db` is not given."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "library.db"


def settings_path() -> Path:
    """The per-user settings file (window geometry, zoom, export folder)."""
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "settings.ini"
