"""A cell magic past the first line of its cell is refused, before anything runs, with a hint."""

from __future__ import annotations

from ipython_fixtures import SPECS_AND_PLUGINS, Shell, shell

__all__ = ["shell"]


def test_hook_cell_magic_on_the_second_line_says_where_it_must_go(shell: Shell) -> None:
    shell.run(SPECS_AND_PLUGINS)
    shell.run("%plugin add Specs Weather")
    error = shell.fails("ran_first = True\n%%hook fetch\ntopic = 'harbor'\n")
    message = str(error)
    assert type(error).__name__ == "UsageError"
    assert message.startswith("%%hook fetch is on line 2 of this cell, but a cell magic must be its "
                              "cell's first line")
    assert "%hook fetch arg=value" in message  # the form that works on any line
    assert "not found" not in message
    assert "ran_first" not in shell.ip.user_ns  # refused before any line ran


def test_any_cell_magic_gets_the_hint_and_line_magics_are_left_alone(shell: Shell) -> None:
    error = shell.fails("x = 1\n\n%%timeit -n1\npass\n")
    assert str(error).startswith("%%timeit -n1 is on line 3 of this cell")
    assert shell.run("y = 2\n%time z = 3\nz") == 3  # a line magic on line 2 is fine
    shell.fails("x = 1\n%%no_such_magic\n")  # not a cell magic: IPython's own error stays
