"""Turning SIGTERM into an exception while mlsd writes, so partial work is undone.

Ctrl-C already raises KeyboardInterrupt. SIGTERM (what ``kill``, CI runners and
container stops send) ends Python at once by default, which would leave a half
generated directory or a half applied update. Inside :func:`terminate_as_exception`
it raises :class:`Terminated` instead, so the ``except``/``finally`` blocks that
remove a partial target or restore written files run first.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The conventional exit statuses of a program stopped by a signal: 128 + its number.
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(BaseException):
    """SIGTERM arrived; a BaseException so that ``except Exception`` does not swallow it."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


@contextmanager
def terminate_as_exception() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
