"""nbplug's IPython extension: ``%load_ext nbplug``, ``%plugin``, ``%%hook``, awaited on the loop.

Loading registers the magics (:mod:`.magics`; ``%pytest`` in :mod:`.pytestmagic`, ``%%record``
in :mod:`.recordmagic`), the await path (:mod:`.transform`: an input transformer that makes
top-level magic calls awaited through IPython's autoawait), the completer (:mod:`.completion`),
in terminal IPython the asyncio prompt integration (:mod:`.terminal`), IPython's custom
handler for exception groups (:mod:`.errorview`, so a group from an extension shows the user's
frames), and a teardown at interpreter exit. Unloading tears down running lifespans (reverse
order) and removes all of it. Loading twice is harmless. The session (:func:`get_session`) is
reachable from Python as well.

Kernel shutdown and restart: ipykernel stops its event loop and the interpreter exits; the exit
hook (:func:`nbplug.session.closing.at_interpreter_exit`: it runs before Python joins its threads,
so a teardown may still ``await asyncio.to_thread(...)``) then runs the lifespans' teardown to its
end on that (stopped, not closed) loop, so the code after each lifespan's ``yield`` runs before
the process ends, whatever it awaits -- within the kernel's shutdown window (a teardown still
running when the front end sends SIGTERM is cut short and named in the kernel's log; see
:mod:`nbplug.session.closing`).
Rejected: tearing down when the shutdown request arrives (``shell.exit_now``): ipykernel
handles it on its control thread and stops the loop about 0.1 s later, so the teardown would go
on from the exit hook anyway.
"""

from __future__ import annotations

from typing import Any

from ..session.closing import at_interpreter_exit
from ..session.notebook import NotebookSession
from .state import ExtensionState, forget_session, get_session, loaded_state, set_state

__all__ = ["NotebookSession", "get_session", "load_ipython_extension", "unload_ipython_extension"]

#: Seconds the lifespans' teardown may take at kernel shutdown or restart, unless the front end
#: sends SIGTERM sooner (jupyter_client does after 2.5 s by default; see nbplug.session.closing).
KERNEL_SHUTDOWN_WINDOW = 10.0


def load_ipython_extension(ip: Any) -> None:
    """Register the magics, the await path, the completer and the teardown on ``ip``."""
    if loaded_state(ip) is not None:
        return  # loading twice (or as both nbplug and nbplug.ipython) is harmless
    from .completion import make_matcher
    from .errorview import install_group_view
    from .magics import PluginMagics
    from .pytestmagic import PytestMagics, make_pytest_matcher
    from .recordmagic import RecordMagics
    from .running import run_magic
    from .terminal import enable_asyncio_prompt
    from .transform import make_transformer

    session = get_session(ip)
    magics = PluginMagics(ip, session)
    ip.register_magics(magics)
    pytest_magics = PytestMagics(ip)
    ip.register_magics(pytest_magics)
    pytest_matcher = make_pytest_matcher(pytest_magics)
    record_magics = RecordMagics(ip)
    ip.register_magics(record_magics)
    transformer = make_transformer(ip)
    ip.input_transformers_post.append(transformer)
    matcher = make_matcher(ip, lambda: session)
    completer = getattr(ip, "Completer", None)
    if completer is not None:
        completer.custom_matchers.append(matcher)
        completer.custom_matchers.append(pytest_matcher)

    def at_exit() -> None:
        if session.board is not None and hasattr(session.board, "close"):
            session.board.close()  # nobody is watching any more: no redraws during teardown
        in_kernel = getattr(ip, "kernel", None) is not None
        session.close_blocking(KERNEL_SHUTDOWN_WINDOW if in_kernel else 30.0, ip.log)

    cancel_at_exit = at_interpreter_exit(at_exit, ip.log)
    enabled = enable_asyncio_prompt(ip)
    group_view = install_group_view(ip, run_magic.__code__)
    set_state(ip, ExtensionState(ip, session, magics, transformer, matcher, cancel_at_exit, enabled,
                                 pytest_magics, pytest_matcher, group_view, record_magics))


def unload_ipython_extension(ip: Any) -> None:
    """Tear down running lifespans (reverse order) and remove everything the extension added."""
    state = loaded_state(ip)
    if state is None:
        return
    from .errorview import remove_group_view
    from .terminal import disable_asyncio_prompt

    set_state(ip, None)
    try:
        state.session.close_blocking()
    finally:
        remove_magics(ip.magics_manager, (state.magics, state.pytest_magics, state.record_magics))
        if state.transformer in ip.input_transformers_post:
            ip.input_transformers_post.remove(state.transformer)
        completer = getattr(ip, "Completer", None)
        if completer is not None:
            for matcher in (state.matcher, state.pytest_matcher):
                if matcher in completer.custom_matchers:
                    completer.custom_matchers.remove(matcher)
        state.cancel_at_exit()
        if state.enabled_asyncio_prompt:
            disable_asyncio_prompt(ip)
        if state.group_view:
            remove_group_view(ip)
        board = state.session.board
        if board is not None and hasattr(board, "close"):
            board.close()
        forget_session(ip)


def remove_magics(manager: Any, owners: tuple[Any, ...]) -> None:
    """Take the magics of ``owners`` out of the shell, leaving any that replaced them since.

    Each owner's own table (``Magics.magics``) names what it registered; a name now held by
    another object (a later extension's magic of the same name) is left alone.
    """
    # IPython has no unregister: its own AliasManager.undefine_alias deletes from these tables too
    for owner in owners:
        if owner is None:
            continue
        for kind, names in owner.magics.items():
            table = manager.magics[kind]
            for name in names:
                if getattr(table.get(name), "__self__", None) is owner:
                    del table[name]
        if manager.registry.get(type(owner).__name__) is owner:
            del manager.registry[type(owner).__name__]
