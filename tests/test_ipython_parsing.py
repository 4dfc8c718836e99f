"""Parsing of ``%%hook``/``%hook`` arguments and the await-path rewrite (no shell needed)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from IPython.core.error import UsageError

from nbplug.ipython.args import evaluate_arguments, parse_cell, parse_line
from nbplug.ipython.transform import ENTRY, rewrite


def sources(line: str) -> list[tuple[str, str]]:
    return [(a.name, a.source) for a in parse_line(line).arguments]


# ------------------------------------------------------------------------------------ %hook line
def test_line_form_splits_keyword_items_on_spaces_and_commas() -> None:
    assert sources('fetch topic="a b" limit=3') == [("topic", '"a b"'), ("limit", "3")]
    assert sources("fetch topic='x', limit=1 + 2") == [("topic", "'x'"), ("limit", "1 + 2")]


def test_line_form_keeps_nested_equals_inside_brackets_and_lambdas() -> None:
    assert sources("fetch topic=f(a=1, b=[2]) key=lambda x=1: x") == [
        ("topic", "f(a=1, b=[2])"),
        ("key", "lambda x=1: x"),
    ]
    assert sources('fetch d={"k": 1}  n = 2') == [("d", '{"k": 1}'), ("n", "2")]


def test_line_form_flags_and_qualified_names() -> None:
    call = parse_line("-q feed.fetch topic=1")
    assert (call.hook, call.quiet) == ("feed.fetch", True)
    assert parse_line("fetch").arguments == ()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "needs the name of a hook"),
        ("fetch 3", "keyword arguments only"),
        ("fetch topic=", "has no value"),
        ("fetch topic=1 topic=2", "given twice"),
        ("--loud fetch", "unknown option '--loud'"),
        ("fe-tch x=1", "is not a hook name"),
        ("fetch topic=(1", "cannot read the arguments"),
        ("fetch topic=1 +", "not a Python expression"),
    ],
)
def test_line_form_errors_say_what_is_wrong_and_what_is_right(line: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        parse_line(line)
    assert "%hook" in str(info.value)


# ------------------------------------------------------------------------------------ %%hook cell
def test_cell_form_reads_assignments_in_order() -> None:
    call = parse_cell("fetch", "topic = 'harbor'\nlimit: int = len(topic)\n\n# comment\n")
    assert [(a.name, a.source, a.lineno) for a in call.arguments] == [
        ("topic", "'harbor'", 2),
        ("limit", "len(topic)", 3),
    ]


@pytest.mark.parametrize(
    ("line", "body", "message"),
    [
        ("fetch", "print(1)\n", "line 2 is `print"),
        ("fetch", "a, b = 1, 2\n", "line 2 is `a, b = 1, 2`"),
        ("fetch", "a = b = 1\n", "assignments"),
        ("fetch", "x = 1\nx = 2\n", "given twice"),
        ("fetch", "x = (\n", "not valid Python"),
        ("fetch topic=1", "", "from the cell body"),
        ("", "x = 1", "needs the name of a hook"),
    ],
)
def test_cell_form_errors(line: str, body: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_cell(line, body)


def test_arguments_evaluate_in_namespace_later_see_earlier_and_may_await() -> None:
    call = parse_cell("fetch", "topic = base + '!'\nsize = len(topic)\nlate = await later(size)\n")

    async def later(n: int) -> int:
        await asyncio.sleep(0)
        return n * 10

    kwargs = asyncio.run(evaluate_arguments(call, {"base": "hi", "later": later}))
    assert kwargs == {"topic": "hi!", "size": 3, "late": 30}
    assert "base" not in kwargs


def test_argument_errors_are_the_users_own() -> None:
    call = parse_line("fetch topic=undefined_name")
    with pytest.raises(NameError, match="undefined_name"):
        asyncio.run(evaluate_arguments(call, {}))


# ------------------------------------------------------------------------------------ rewrite
def rewritten(code: str) -> str:
    return "".join(rewrite(code.splitlines(keepends=True)))


def test_top_level_magic_calls_become_awaited() -> None:
    code = (
        "get_ipython().run_cell_magic('hook', 'fetch', 'topic = 1\\n')\n"
        "r = get_ipython().run_line_magic('hook', 'fetch topic=1')\n"
        "get_ipython().run_line_magic('plugin', 'add Weather')\n"
    )
    out = rewritten(code)
    assert out.count(f"(await {ENTRY}(") == 3
    assert f"(await {ENTRY}('cell', 'hook', 'fetch', 'topic = 1\\n'))" in out
    assert out.splitlines()[1].startswith(f"r = (await {ENTRY}('line', 'hook', 'fetch topic=1'))")
    compile(out, "<cell>", "exec", flags=0x2000)  # PyCF_ALLOW_TOP_LEVEL_AWAIT: still valid Python


def test_a_hook_call_that_ends_the_cell_is_told_so() -> None:
    ends = rewritten("x = 1\nget_ipython().run_line_magic('hook', '-t fetch topic=1')\n")
    assert ends.endswith(f"(await {ENTRY}('line', 'hook', '-t fetch topic=1', ends_cell=True))\n")
    kept = rewritten("r = get_ipython().run_line_magic('hook', 'fetch topic=1')\n")
    assert "ends_cell" not in kept
    middle = rewritten("get_ipython().run_line_magic('hook', 'fetch topic=1')\nprint(1)\n")
    assert "ends_cell" not in middle


def test_display_flags_are_read_without_raising() -> None:
    from nbplug.ipython.args import display_flags

    assert display_flags("-q -t fetch", "%%hook") == {"quiet", "timeline"}
    assert display_flags("--widget fetch topic=1", "%hook") == {"widget"}
    assert display_flags("--bogus fetch", "%hook") == frozenset()
    assert parse_line("-t fetch topic=1").timeline


def test_calls_where_await_is_not_allowed_stay_synchronous() -> None:
    code = (
        "def f():\n    return get_ipython().run_line_magic('hook', 'fetch topic=1')\n"
        "g = lambda: get_ipython().run_line_magic('hook', 'fetch topic=1')\n"
        "xs = [get_ipython().run_line_magic('hook', 'fetch topic=1') for _ in range(2)]\n"
    )
    assert rewritten(code) == code


def test_async_def_bodies_are_awaited_and_others_untouched() -> None:
    code = "async def f():\n    return get_ipython().run_line_magic('hook', 'fetch topic=1')\n"
    assert "await" in rewritten(code)
    other = (
        "get_ipython().run_line_magic('timeit', 'x=1')\n"
        "get_ipython().run_line_magic('load_ext', 'nbplug')\n"
    )
    assert rewritten(other) == other
    bad = "get_ipython().run_line_magic('hook', 'x'\n"
    assert rewritten(bad) == bad


def test_unload_of_nbplug_is_awaited_but_not_of_other_extensions() -> None:
    assert "await" in rewritten("get_ipython().run_line_magic('unload_ext', 'nbplug')\n")
    assert "await" in rewritten("get_ipython().run_line_magic('reload_ext', 'nbplug.ipython')\n")
    assert "await" not in rewritten("get_ipython().run_line_magic('unload_ext', 'autoreload')\n")


def test_non_ascii_text_before_the_call_keeps_columns_right() -> None:
    code = "s = 'héllo'; r = get_ipython().run_line_magic('hook', 'fetch topic=\"é\"')\n"
    out = rewritten(code)
    assert out.startswith("s = 'héllo'; r = (await ")
    assert out.rstrip().endswith("'fetch topic=\"é\"'))")


# ------------------------------------------------------------------------------------ run_sync
async def test_sync_call_site_with_the_loop_running_steps_then_continues_as_a_task(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from nbplug.ipython.running import run_sync

    async def immediate() -> int:
        return 1

    assert run_sync(immediate(), "%plugin") == 1  # never waits: done at once, no note
    assert capsys.readouterr().err == ""

    steps: list[str] = []

    async def waits() -> int:
        steps.append("began")
        await asyncio.sleep(0.01)
        steps.append("resumed")
        return 2

    task = run_sync(waits(), "%hook")
    assert steps == ["began"] and isinstance(task, asyncio.Task)
    assert "continues as a background task" in capsys.readouterr().err
    assert await task == 2 and steps == ["began", "resumed"]

    async def forever() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            steps.append("cleaned up")

    task = run_sync(forever(), "%hook")
    assert isinstance(task, asyncio.Task)
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert steps[-1] == "cleaned up"


async def test_errors_raised_before_waiting_propagate_at_once() -> None:
    from nbplug.ipython.running import run_sync

    async def bad() -> None:
        raise UsageError("bad input")

    with pytest.raises(UsageError, match="bad input"):
        run_sync(bad(), "%plugin")


def test_nested_loop_fallback_is_opt_in_and_serves_sync_call_sites(tmp_path: Path) -> None:
    """Run in a subprocess: nest_asyncio2 patches the loop for the rest of the process."""
    script = tmp_path / "nested.py"
    script.write_text(
        "import asyncio\n"
        "from nbplug.ipython.running import enable_nested_fallback, run_sync\n"
        "async def waits():\n"
        "    await asyncio.sleep(0.01)\n"
        "    return 'done'\n"
        "async def main():\n"
        "    first = run_sync(waits(), '%hook')\n"
        "    kind = type(first).__name__\n"
        "    await first\n"
        "    enable_nested_fallback()\n"
        "    print(kind, run_sync(waits(), '%hook'))\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Task", "done"]
