"""Writing export files so that a crash or a full disk never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from pathlib import Path

# A temporary file this old was left by a writer that was killed: nobody is still writing it.
STALE_PART_SECONDS = 3600


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` as UTF-8 to `path` via a temporary file in the same folder and a rename."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder, synced, then renamed.

    A crash, a full disk or a kill leaves either the old file or the new one, never half of
    one; the temporary file is removed when writing fails, and one left by a killed writer is
    swept up by the next export to the same name. The file gets the permissions a plain
    `open()` would give it (those of the file it replaces, else the umask's), not the private
    ones of a temporary file.
    """
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    _sweep_stale_parts(folder, path.name)
    mode = _mode_for(path)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(folder)


def _mode_for(path: Path) -> int:
    """The permission bits the written file should have."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sweep_stale_parts(folder: Path, name: str) -> None:
    """Remove temporary files of `name` that a killed export left behind long ago."""
    cutoff = time.time() - STALE_PART_SECONDS
    for part in folder.glob(f".{_glob_escape(name)}.*.part"):
        with contextlib.suppress(OSError):
            if part.stat().st_mtime < cutoff:
                part.unlink()


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a power cut right after could otherwise undo it)."""
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows: folders cannot be opened, and NTFS journals the rename
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
