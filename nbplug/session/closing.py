"""Running the lifespans' teardown to its end on a stopped event loop (interpreter exit).

When a kernel shuts down or restarts, ipykernel stops its event loop and the interpreter exits;
the session's teardown then runs from ``atexit`` on that stopped (not closed) loop. Decision: the
loop is run in short slices until the teardown is done, because ipykernel leaves a ``stop()`` of
its own queued on the loop, which cut a single ``run_until_complete`` about 0.1 s in ("Event loop
stopped before Future completed") and left every teardown that awaited unfinished.

The kernel's shutdown window: jupyter_client (and so JupyterLab) sends SIGTERM when half its
``shutdown_wait_time`` (5 s by default) has passed and SIGKILL at its end. The teardown runs freely
until SIGTERM comes (or ``window`` seconds pass); then the teardown running is cut short as a
repeated Ctrl-C would cut it (``LifespanGroup.interrupt``: its ``finally`` blocks run) and named in
the log, and each remaining teardown still runs, for a quarter of a second before it is cut short
in turn. Rejected: guessing the front end's wait from the clock alone (its setting is its own), and
a thread that keeps the loop alive (the lifespans' code would run on another thread than the one
it was written for).

When it runs (:func:`at_interpreter_exit`): before Python joins its threads, not from ``atexit``.
At exit Python first joins every non-daemon thread and shuts the default executor down (its
``_python_exit``), and only then runs ``atexit``; a teardown started from ``atexit`` that awaited
``asyncio.to_thread(...)`` or ``loop.run_in_executor(None, ...)`` failed ("can't register atexit
after shutdown", "cannot schedule new futures after interpreter shutdown") and never reached its
end. CPython's threading exit hooks run before that join, in reverse order of registration, so the
hook is registered after the executor's own and runs while the executor still takes work.
Rejected: a fresh executor for the teardown (the lifespans' own code may hold the loop's default
one), and ``atexit`` alone (kept only as the fallback where the threading hook is not offered).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from nbplug._base.safetext import error_text

if TYPE_CHECKING:
    from nbplug.lifespans import LifespanGroup

log = logging.getLogger("nbplug.ipython")

#: How long one slice of running the stopped loop lasts, in seconds.
SLICE = 0.05
#: Past the window, how long each further teardown may run before it is cut short too.
GRACE = 0.25


def run_to_end(
    loop: asyncio.AbstractEventLoop,
    teardown: Coroutine[Any, Any, None],
    group: LifespanGroup,
    window: float,
    logger: logging.Logger | None = None,
) -> list[str]:
    """Run ``teardown`` on the stopped ``loop`` until it is done; return the lifespans whose
    teardown overran ``window`` seconds and was cut short (each named in ``logger``'s log: in a
    kernel, the kernel application's, which reaches the server's console)."""
    logger = logger or log
    job = loop.create_task(teardown, name="nbplug-teardown")
    deadline = [time.monotonic() + window]
    why = [f"did not end within {window:.1f} s"]

    def on_sigterm() -> None:
        deadline[0] = time.monotonic()
        why[0] = "was still running when the kernel was told to terminate (SIGTERM)"

    on_signal = watch_sigterm(loop, on_sigterm)
    cut: list[str] = []
    try:
        while not job.done():
            if time.monotonic() >= deadline[0]:
                deadline[0] = time.monotonic() + GRACE  # the next teardown gets a moment too
                for name in group.interrupt():
                    cut.append(name)
                    logger.warning("nbplug: the teardown of lifespan %r %s; it was cut short (its "
                                "finally blocks ran), the other teardowns still run", name, why[0])
            try:
                loop.run_until_complete(asyncio.wait([job], timeout=SLICE))
            except RuntimeError:  # a stop() queued by ipykernel ended this slice early
                if loop.is_closed():
                    raise
    finally:
        if on_signal:
            loop.remove_signal_handler(signal.SIGTERM)
    error = None if job.cancelled() else job.exception()
    if error is not None:
        logger.warning("nbplug: the lifespans' teardown at exit raised %s", error_text(error))
    return cut


def at_interpreter_exit(callback: Callable[[], None], logger: logging.Logger | None = None
                        ) -> Callable[[], None]:
    """Call ``callback`` once when the interpreter exits, while threads and the default executor
    still work; return a function that cancels it (the extension's unload).

    Whatever ``callback`` raises is logged, not raised: an exception out of a threading exit hook
    would skip the hooks after it, the default executor's shutdown among them.
    """
    held = [callback]  # emptied once run or cancelled: a cancelled hook keeps no session alive

    def run_once() -> None:
        if not held:
            return
        call = held.pop()
        try:
            call()
        except BaseException as exc:  # the process is ending: say it, go on
            (logger or log).warning("nbplug: the teardown at exit raised %s", error_text(exc))

    def cancel() -> None:
        held.clear()
        atexit.unregister(run_once)

    # threading._register_atexit (CPython-private) is the only hook that runs before Python joins
    # the default executor's workers; atexit runs after, when asyncio.to_thread can no longer work
    import concurrent.futures.thread  # noqa: F401 -- registers the executor's hook first: ours runs before it

    register = getattr(threading, "_register_atexit", None)
    if register is not None:
        with contextlib.suppress(RuntimeError):  # already shutting down: atexit is all there is
            register(run_once)
    atexit.register(run_once)  # the fallback: a no-op once the threading hook has run
    return cancel


def watch_sigterm(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> bool:
    """Call ``callback`` on SIGTERM while ``loop`` runs; True if the handler could be set."""
    if threading.current_thread() is not threading.main_thread():
        return False
    try:
        loop.add_signal_handler(signal.SIGTERM, callback)
    except (NotImplementedError, RuntimeError, ValueError):  # no signals here (Windows, a thread)
        return False
    return True
