"""``Result``: the outcome of a hook call (a value or an exception), as pluggy's monitors receive it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Result:
    """A call's outcome; ``get_result()`` returns the value or raises the exception."""

    __slots__ = ("_exception", "_result")

    def __init__(self, result: Any, exception: BaseException | None) -> None:
        self._result = result
        self._exception = exception

    @classmethod
    def from_call(cls, func: Callable[[], Any]) -> Result:
        """Run ``func`` and capture what it returned or raised."""
        try:
            return cls(func(), None)
        except BaseException as exc:
            return cls(None, exc)

    @property
    def exception(self) -> BaseException | None:
        """The exception the call raised, or None."""
        return self._exception

    def get_result(self) -> Any:
        """The call's value; raises the call's exception instead if there was one."""
        if self._exception is not None:
            raise self._exception.with_traceback(self._exception.__traceback__)
        return self._result

    def force_result(self, result: Any) -> None:
        """Replace the outcome with ``result`` (clearing any exception)."""
        self._result = result
        self._exception = None

    def force_exception(self, exception: BaseException) -> None:
        """Replace the outcome with ``exception``."""
        self._result = None
        self._exception = exception

    def __repr__(self) -> str:
        if self._exception is not None:
            return f"<Result exception={self._exception!r}>"
        return f"<Result value={self._result!r}>"
