"""``Result``: the outcome of a hook call (a value or an exception), as monitors and legacy wrappers
receive it.

The exception's traceback is kept as it was when the outcome was made: ``get_result()`` raises
with that traceback every time, rather than with one grown by each earlier raise (an exception's
``__traceback__`` is mutable), as pluggy's ``Result`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any


class Result:
    """A call's outcome; ``get_result()`` returns the value or raises the exception."""

    __slots__ = ("_exception", "_result", "_traceback")

    def __init__(self, result: Any, exception: BaseException | None) -> None:
        self._result = result
        self._exception = exception
        self._traceback = exception.__traceback__ if exception is not None else None

    @classmethod
    def from_call(cls, func: Callable[[], Any]) -> Result:
        """Run ``func`` and capture what it returned or raised."""
        __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
        try:
            return cls(func(), None)
        except BaseException as exc:
            return cls(None, exc)

    @property
    def exception(self) -> BaseException | None:
        """The exception the call raised, or None."""
        return self._exception

    @property
    def excinfo(self) -> tuple[type[BaseException], BaseException, TracebackType | None] | None:
        """``(type, exception, traceback)`` of the exception, as ``sys.exc_info()`` gives it, or None."""
        exc = self._exception
        return None if exc is None else (type(exc), exc, self._traceback)

    def get_result(self) -> Any:
        """The call's value; raises the call's exception instead if there was one."""
        __tracebackhide__ = True  # pytest's and IPython's traceback filters skip this frame
        exc = self._exception
        if exc is not None:
            raise exc.with_traceback(self._traceback)
        return self._result

    def force_result(self, result: Any) -> None:
        """Replace the outcome with ``result`` (clearing any exception)."""
        self._result = result
        self._exception = None
        self._traceback = None

    def force_exception(self, exception: BaseException) -> None:
        """Replace the outcome with ``exception``."""
        self._result = None
        self._exception = exception
        self._traceback = exception.__traceback__

    def __repr__(self) -> str:
        if self._exception is not None:
            return f"<Result exception={self._exception!r}>"
        return f"<Result value={self._result!r}>"
