"""Running a full-screen program in a pseudo-terminal and waiting for text to appear on it:
how the TUI measures see "first paint" the way a user does, from process start.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

_ESCAPES = re.compile(
    rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC (titles …)
    rb"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI (styles, cursor moves)
    rb"|\x1b[@-Z\\-_]"  # two-byte escapes
)


def visible(data: bytes) -> str:
    """What the screen output says with every escape sequence removed."""
    return _ESCAPES.sub(b"", data).decode("utf-8", "replace")


class Terminal:
    """A program in a ``columns`` × ``lines`` pseudo-terminal."""

    def __init__(
        self, command: list[str], *, columns: int = 120, lines: int = 40, env: dict[str, str]
    ) -> None:
        self.started = time.perf_counter()
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.master = master
        self.process = subprocess.Popen(
            command,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines)},
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""
        self.seen = ""

    def wait_for(self, pattern: str, timeout: float = 60.0) -> float:
        """Milliseconds from process start until ``pattern`` (a regex) is on screen."""
        wanted = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                self.output += chunk
                self.seen = visible(self.output)
                if wanted.search(self.seen):
                    return (time.perf_counter() - self.started) * 1000
            elif self.process.poll() is not None:
                break
        raise TimeoutError(f"{pattern!r} did not appear; last screen text: {self.seen[-300:]!r}")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def peak_rss_mib(self) -> float:
        """The process's peak resident memory so far (VmHWM)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]
        return kib / 1024

    def rss_anonymous_mib(self) -> float:
        """The anonymous (heap) part of the resident memory now (RssAnon)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = int(re.search(r"RssAnon:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]
        return kib / 1024

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.master)
