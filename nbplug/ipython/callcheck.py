"""What is wrong with a hook call's arguments, said before the call runs, in the form the user
wrote (``%hook NAME a=...`` or a ``%%hook`` cell) and with the call that would be right.

Decision: the notebook face checks what it can tell from the extension point and the extensions
before any extension runs, and speaks for nbplug-marked code in nbplug's words; an extension
point marked with pluggy's own marker keeps the kit's warning in pluggy's words. Rejected:
letting the kit warn and then fail (the same thing said twice, once in pluggy's words).
"""

from __future__ import annotations

from typing import Any

from nbplug._base.safetext import safe_attr
from nbplug._kit.introspection import qualname

from ..session.notebook import NotebookSession
from .args import HookCall


def right_call(call: HookCall, names: list[str], magic: str) -> str:
    """The call with ``names`` given, as the user would write it."""
    if magic == "%%hook":
        return f"%%hook {call.hook}" + "".join(f"\n{n} = ..." for n in names)
    return f"%hook {call.hook} {' '.join(f'{n}=...' for n in names)}"


def missing_needed(caller: Any, call: HookCall, kwargs: dict[str, object], magic: str) -> str | None:
    """The refusal of a call that leaves out an argument an extension needs, in one sentence
    with the call that would be right; None when nothing needed is missing.

    Decision: refused before any extension runs (the cell is what is wrong), except on a
    firstresult hook, where an earlier extension's answer can mean the one needing it is never
    called (pluggy's rule: only a called extension that needs it fails). Rejected: letting the
    kit warn and then fail, which said the same thing twice, once in pluggy's words."""
    spec = getattr(caller, "spec", None)
    if spec is None or spec.opts.firstresult or any(k not in spec.argnames for k in kwargs):
        return None  # (an undeclared argument: the kit's refusal, with its did-you-mean)
    for impl in reversed(caller.get_hookimpls()):  # in call order
        missing = [n for n in impl.argnames if n not in kwargs and n not in spec.defaults]
        if missing:
            name = missing[0]
            right = right_call(call, [n for n in spec.argnames if n in kwargs or n == name], magic)
            return (f"{magic} {call.hook}: missing the argument {name!r}, which extension "
                    f"{impl.plugin_name!r} ({qualname(impl.function)}) needs; give it:\n{right}\n"
                    f"  extension point: {spec.signature}")
    return None




def left_out_note(session: NotebookSession, caller: Any, call: HookCall, kwargs: dict[str, object],
                  magic: str) -> str | None:
    """A note for arguments the call leaves out that no extension needs (the call goes on, as
    pluggy's rule says), for an nbplug-marked extension point; None otherwise."""
    spec = getattr(caller, "spec", None)
    if spec is None:
        return None
    left_out = [n for n in spec.argnames if n not in kwargs and n not in spec.defaults]
    if not left_out or any(n in impl.argnames for impl in caller.get_hookimpls() for n in left_out):
        return None  # (needed: refused by missing_needed, or on a firstresult hook by the kit)
    project = next((m.project_name for m in session.managers
                    if any(c is caller for c in m.callers())), None)
    if project is None or isinstance(safe_attr(spec.function, f"{project}_spec"), dict):
        return None  # pluggy-marked: the kit's warning, in pluggy's words
    quoted = ", ".join(map(repr, left_out))
    return (f"note: {magic} {call.hook} leaves out {quoted}, which the extension point declares; "
            f"no extension added so far needs it, so the call goes on. To give it: "
            f"{right_call(call, [n for n in spec.argnames if n in kwargs or n in left_out], magic)}")
