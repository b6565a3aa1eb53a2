"""One window per library: a second `desktop-app` on the same library hands its file over.

Two windows on one library would each hold their own idea of the open document, its undo stack
and its codebook, and the later write would win (a lost update). So the first process to start
on a library becomes its *primary*: it holds a lock file and listens on a local socket. A later
process on the same library finds the lock taken, sends the primary the file it was asked to
open (or nothing, meaning "come forward"), and exits. Different libraries get different locks,
so a second library can still have its own window; the headless commands take no lock at all,
since SQLite's WAL and busy timeout already make their short writes safe beside the window.

The lock is a `QLockFile`: a process killed without cleaning up leaves a lock whose PID is gone,
which the next start treats as stale and takes over, together with the socket name. Taking the
lock needs only QtCore; QtNetwork (~15 ms to import) is loaded after the first paint, when the
primary starts listening, or by a secondary, which shows no window at all.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCryptographicHash, QDir, QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 2000
HANDOVER_ATTEMPTS = 10


def instance_key(database: Path) -> str:
    """A name for the library at `database`, the same for every spelling of its path.

    It goes into a socket name, which must be short and plain, so the path is hashed; the user
    id keeps two people on one machine from meeting each other's windows.
    """
    resolved = str(database.expanduser().resolve())
    # Qt's SHA-256 rather than hashlib's, whose OpenSSL load cost start-up 3 ms: same digest.
    sha256 = QCryptographicHash.Algorithm.Sha256
    digest = QCryptographicHash.hash(resolved.encode("utf-8"), sha256).toHex().toStdString()
    return f"claimmark-{os.getuid() if hasattr(os, 'getuid') else 0}-{digest[:16]}"


def encode_request(file: Path | None) -> bytes:
    """The one-line message a secondary sends: the file to open, absolute, or null."""
    payload = {"open": None if file is None else str(file.expanduser().absolute())}
    return json.dumps(payload).encode("utf-8") + b"\n"


def decode_request(data: bytes) -> Path | None:
    """The file named in a request, or None for "just come forward" (or a garbled message)."""
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    name = payload.get("open") if isinstance(payload, dict) else None
    return Path(name) if isinstance(name, str) and name else None


class InstanceGuard(QObject):
    """Decides whether this process is the library's primary window and serves the others.

    Signals:
        activationRequested(object): another start on this library asked to come forward,
            with the file it was asked to open (a Path) or None.
    """

    activationRequested = Signal(object)

    def __init__(self, database: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = instance_key(database)
        self._lock = QLockFile(QDir.temp().filePath(f"{self.key}.lock"))
        self._lock.setStaleLockTime(0)  # only a dead owner makes it stale, never its age
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """Become the primary (True) or learn that a live one exists (False)."""
        return bool(self._lock.tryLock(0))

    def serve(self) -> bool:
        """As primary, listen for later starts; False if the socket could not be made.

        A socket left behind by a killed primary is removed first: holding the lock proves that
        nobody alive still owns it.
        """
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.key)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.key):
            # The window still works without the hand-over; a second start then fails to reach
            # us and says so, which is better than refusing to start at all.
            return False
        server.newConnection.connect(self.on_new_connection)
        self._server = server
        return True

    def hand_over(self, file: Path | None) -> bool:
        """As a secondary: send `file` to the primary. False when the primary does not answer.

        A primary that has just taken the lock may not be listening yet, so connecting is tried
        a few times before giving up.
        """
        from PySide6.QtNetwork import QLocalSocket

        message = encode_request(file)
        for _attempt in range(HANDOVER_ATTEMPTS):
            socket = QLocalSocket()
            socket.connectToServer(self.key)
            if socket.waitForConnected(CONNECT_TIMEOUT_MS // HANDOVER_ATTEMPTS):
                socket.write(message)
                delivered = socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
                socket.disconnectFromServer()
                return delivered
            socket.abort()
            if not self._lock.tryLock(CONNECT_TIMEOUT_MS // HANDOVER_ATTEMPTS):
                continue
            # The primary went away meanwhile: nobody to hand over to.
            self._lock.unlock()
            return False
        return False

    def owner_pid(self) -> int | None:
        """The process id of the primary holding the lock, if it can be read."""
        info = self._lock.getLockInfo()  # PySide6: (pid, host, app), or a false value
        return int(info[0]) if isinstance(info, tuple) and info and info[0] else None

    def on_new_connection(self) -> None:
        """Read each incoming request once it has arrived whole (one line)."""
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            buffer = bytearray()

            def on_ready_read(socket: QLocalSocket = socket, buffer: bytearray = buffer) -> None:
                buffer.extend(bytes(socket.readAll().data()))
                if buffer.endswith(b"\n"):
                    self.activationRequested.emit(decode_request(bytes(buffer)))
                    socket.disconnectFromServer()

            # The socket stays a child of the server until the server goes: a deleteLater here
            # crashes PySide6 when the server is destroyed before the deferred delete runs, and
            # a few hundred bytes per later start are not worth that.
            socket.readyRead.connect(on_ready_read)
            if socket.bytesAvailable():  # arrived before the slot was connected
                on_ready_read()

    def release(self) -> None:
        """Stop serving and free the lock (also done by the OS when the process dies)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()
