"""What each teaching notebook claims, as checks run in its kernel between its own cells.

``CLAIMS[stem]`` maps where a check runs ("after CELL_ID", "before CELL_ID", "start") to the code
run there (scripts/run_notebooks.py ``prepared`` inserts it, hidden, into the executed copy only).
A check sees the notebook's names and binds its own locally. The notebooks stay what a student
reads -- the design being taught -- and every sentence that says what a cell shows is held here.
Rejected: ``assert`` cells in the notebooks (students read tests), and checks on the outputs' text
alone (a view's words change with its design; the values it shows are what the prose claims).
"""

from __future__ import annotations

#: the rows of a call view, as (depth, label, outcome)
ROWS = "def _rows(view):\n    return [(d, n.label, n.outcome) for d, n in view.model.walk()]\n"

KIT = {
    "start": ROWS,
    "after 01-03": """
assert modes == {"configure": "historic", "greet": "collecting", "price": "firstresult",
                 "total": "pipeline"}
""",
    "after 01-05": """
assert greetings == ["Bonjour, Ada !", "Hello, Ada!"]  # french was registered last: it runs first
assert [name for _, name, _ in _rows(view)] == ["french (French.greet)", "english (English.greet)"]
""",
    "after 01-07": """
assert order == ["shouty", "french", "english", "formal"]
assert pm.hook.greet(name="Ada")[-1] == "Good day, Ada."
assert [name.split()[0] for _, name, _ in _rows(view)] == order  # the view runs in that order
""",
    "after 01-09": """
kept = list(asked)
assert pm.hook.price(item="cake") == 4.5  # the sale has no answer: the catalogue's counts
assert pm.hook.price(item="pie") is None  # nobody knows pie
asked.clear()
assert pm.hook.price(item="tea") == 2.0 and asked == ["sale"]  # the catalogue was never asked
asked[:] = kept
assert _rows(view)[1] == (0, "catalogue (Catalogue.price)", "not called — firstresult answered by sale")
""",
    "after 9489be8f": """
assert _rows(_) == [(0, "sale (Sale.price)", "→ None"), (0, "catalogue (Catalogue.price)", "→ 4.5")]
""",
    "after 01-11": """
assert pm.hook.total(amount=50.0, customer="Ada") == 54.0  # (50 - 5) * 1.2
assert pm.hook.total(amount=50.0, customer="Bob") == 60.0  # 50 * 1.2
received = [node.received for _, node in view.model.walk()]
assert received == ["50.0", "45.0"]  # each step got the value the one before returned
""",
    "after 01-13": """
assert cents == 450  # the outer wrapper replaced 4.5 by 450
assert events == ["audit: asking for cake", "audit: cake costs 4.5", "cents: converting"]
assert [impl.plugin_name for impl in pm.caller("price").implementations()] == [
    "in_cents", "audit", "sale", "catalogue"]
""",
    "after ba81b3a6": """
wrappers = [node for _, node in view.model.walk() if node.kind == "wrapper"]
assert [w.label for w in wrappers] == ["in_cents (InCents.price)", "audit (Audit.price)", "loud (Loud.price)"]
assert wrappers[0].after.words == "received 2.0, returned 200"
assert [line.text for line in wrappers[2].before.output] == ["loud: looking up tea"]
assert [line.text for line in wrappers[2].after.output] == ["loud: found 2.0"]
assert "loud" not in [impl.plugin_name for impl in pm.caller("price").implementations()]
""",
    "after 01-15": """
assert view.trace.result == 100  # fallback answered 1.0; in_cents made it 100
assert "fallback: the price list for tea is missing" in events
assert ("sale (Sale.price)", "not called — broken raised") in [row[1:] for row in _rows(view)]
assert pm.hook.price(item="tea") == 200  # the sale price again
""",
    "after 01-17": """
assert seen == [("early", "EUR"), ("late", "EUR")]
try:
    pm.hook.configure(settings={"currency": "USD"})
except HookCallError as error:
    assert "call_historic" in str(error)
else:
    raise AssertionError("a direct call of a historic extension point should be refused")
""",
    "after 01-19": """
try:
    pm.register(Typo(), name="typo")
except PluginValidationError as error:
    assert "nmae" in str(error) and "greet" in str(error)
else:
    raise AssertionError("Typo should have been refused")
assert not any(isinstance(p, Typo) for p in pm.get_plugins())  # nothing half-registered
try:
    pm.hook.greet(nam="Ada")
except HookCallError as error:
    assert "'name'" in str(error)  # did you mean 'name'?
else:
    raise AssertionError("the misspelt argument should have been refused")
""",
}

ASYNC = {
    "after 02-01": """
assert headlines == ["weather[harbor]: clear skies"]
""",
    "after 02-03": """
assert [h.split("[")[0] for h in headlines] == ["archive", "traffic", "weather"]  # last registered first
assert started[:2] == ["archive", "traffic"]  # one at a time, in call order
rows = {node.label.split()[0]: node for node in view.model.nodes}
assert list(rows) == ["archive", "traffic", "weather"]
assert rows["traffic"].took >= 0.045 > rows["archive"].took  # the 50 ms sleep is the traffic source's
""",
    "after 02-05": """
assert len(headlines) == 3 and timings[-1][0] == "market"
assert timings[-1][1] >= 0.045  # it includes the traffic source's 50 ms sleep (timer slack aside)
""",
    "after bd652643": """
(timing,) = view.model.nodes
assert timing.label == "timing (TimingWrapper.fetch)" and timing.kind == "wrapper"
assert [child.label.split()[0] for child in timing.children] == ["archive", "traffic", "weather"]
assert timing.after.words.startswith("received ['archive[market]: 1923, the harbor froze'")
assert timing.after.words.endswith("returned it unchanged")  # an async wrapper observes
assert timing.before.at < timing.children[0].at < timing.children[-1].at < timing.after.at
assert timings[-1][1] >= timing.children[1].took  # its own timing includes the traffic source
""",
    "after 02-07": """
assert one_at_a_time.result == all_at_once.result == together == ["c", "b", "a"]  # call order
runs = [(step.start, step.end) for step in one_at_a_time.steps]
assert all(later[0] >= earlier[1] for earlier, later in zip(runs, runs[1:]))  # one after the other
starts, ends = [s.start for s in all_at_once.steps], [s.end for s in all_at_once.steps]
assert max(starts) < min(ends)  # all started before any ended
assert all_at_once.duration < one_at_a_time.duration / 2  # the whole call about a third as long
shown = _.text()  # the cell's comparison: both calls, on one axis, labelled
assert "await slow.hook.fetch: fetch(topic='x')" in shown and "call_concurrently: fetch" in shown
assert "one extension at a time" in shown and "extensions overlapped" in shown
""",
    "after 32f799f7": """
from nbplug.ipython import get_session

session_view = get_session().last_trace
assert [step.plugin_name for _, step in session_view.walk()] == [
    "TimingWrapper", "ArchiveSource", "TrafficSource", "WeatherSource"]
assert _ == session_view.result and len(_) == 3
""",
    "after 02-09": """
try:
    pm.hook.opened.call_historic(kwargs={"when": "now"})
except NotImplementedError as error:
    assert "PluginManager" in str(error)
else:
    raise AssertionError("call_historic should be refused on the async manager")
""",
}

LIFESPANS = {
    "before 03-06": """
global _watched
import nbplug.ipython

session = nbplug.ipython.get_session()
phases = []  # phase changes while the next cell waits
unsubscribe = session.group.subscribe(lambda e: phases.append(e) if e.kind == "phase" else None)
_watched = (session.board.redraws, phases, unsubscribe)
""",
    "after 03-06": """
import nbplug.ipython

redraws, phases, unsubscribe = _watched
unsubscribe()
board = nbplug.ipython.get_session().board
heard = [entry for entry in life if entry[len("echo: "):].isdigit()]
assert life[:2] == ["countdown: set up", "echo: set up"]  # dependencies first
assert heard == ["echo: 3", "echo: 2", "echo: 1"]
assert phases == [] and [row.phase for row in board.rows()] == ["running", "running"]  # all along
assert board.redraws > redraws  # and the board redrew itself meanwhile: it is live
""",
    "after 03-08": """
import nbplug.ipython

session = nbplug.ipython.get_session()
assert life[-2:] == ["echo: torn down", "countdown: torn down"]
assert {state.name: state.phase.value for state in session.group.states} == {
    "countdown": "stopped",
    "echo": "stopped",
}
steps = [(step.name, step.phase) for step in session.board.teardown_steps]
assert steps == [("echo", "stopping"), ("countdown", "stopping"),  # every task cancelled first,
                 ("echo", "stopped"), ("countdown", "stopped")]    # then teardowns in reverse
import time
from nbplug.widgets.board.timeline import life_bars

bars = {bar.name: {span.kind: span for span in bar.spans}
        for bar in life_bars(session.group.states, time.monotonic())[0]}
assert bars["countdown"]["set-up"].end <= bars["echo"]["set-up"].start  # on the timeline: set-ups in order,
assert bars["echo"]["teardown"].end <= bars["countdown"]["teardown"].start  # teardowns one after another
assert "stopping" in bars["countdown"]  # countdown waited for its turn
""",
    "after 03-10": """
assert life == ["countdown: set up", "echo: set up", "echo: 2", "echo: 1",
                "echo: torn down", "countdown: torn down"]
assert [row.phase for row in board.rows()] == ["stopped", "stopped"]
assert [step.name for step in board.teardown_steps if step.phase == "stopped"] == ["echo", "countdown"]
rows = board.rows()  # built from Python, it shows the lifespans' log lines as the magics' board does
assert "Counting down… 2" in rows[0].log and "Countdown currently at 1" in rows[1].log
assert 'data-kind="teardown"' in board.html() and "run timeline" in board.text()
""",
}

DESIGN = {
    "after 04-03": """
from nbplug.widgets.designmap import why_this_order

map_a, map_b = inspector.design.projects
price_a, price_b = map_a.hook("price"), map_b.hook("price")
assert (price_a.mode, price_b.mode) == ("firstresult", "pipeline")
assert [(cell.plugin, cell.position) for cell in price_a.cells] == [("members", 1), ("price_list", 2)]
assert [(cell.plugin, cell.position) for cell in price_b.cells] == [("price_list", 1), ("members", 2)]
assert price_a.cell_of("price_list").trylast and price_b.cell_of("price_list").tryfirst
assert "price_list moved down by trylast" in why_this_order(price_a)
assert "price_list moved up by tryfirst" in why_this_order(price_b)
""",
    "after 04-03b": """
diagram = inspector.diagram().text()
assert "design of design_a: host design_a calls 1 hook" in diagram
assert "├─ price (firstresult)" in diagram and "2. price_list [trylast]" in diagram
assert "├─ price (pipeline)" in diagram and "1. price_list [tryfirst]" in diagram
""",
    "after 04-03d": """
(price,) = _.diff.hooks
assert price.differs == ("mode", "order", "marks")
assert "price: firstresult in design A, pipeline in design B" in _.diff.summary
assert "price: price_list is trylast in design A, tryfirst in design B" in _.diff.summary
""",
    "after 04-05": """
steps_a = [(s.plugin_name, s.result, s.not_called) for _, s in trace_a.walk()]
steps_b = [(s.plugin_name, s.result, s.not_called) for _, s in trace_b.walk()]
assert trace_a.result == trace_b.result == 2.7
assert steps_a == [("members", 2.7, False), ("price_list", None, True)]
assert steps_b == [("price_list", 3.0, False), ("members", 2.7, False)]
rows = {row.plugin: row for row in _.diff.rows}
assert rows["price_list"].left.status == "not called" and rows["price_list"].right.answered
assert "order" in rows["members"].differs and "order" in rows["price_list"].differs  # swap places
assert _.diff.labels == ("design A", "design B")
assert not any(line.startswith("result:") for line in _.diff.summary)  # the same price for Ada
""",
    "after 04-07": """
steps = [(s.label.split()[0], s.what) for s in _.steps]
assert steps == [("price_list", "ran"), ("members", "ran")]
assert "1. price_list (PriceListB.price): ran, received 0.0 → 3.0" in _.text()
""",
    "after 04-09": """
assert design_a.hook.price(item="tea", customer="Ada") == design_b.hook.price(
    amount=0.0, item="tea", customer="Ada") == 1.8
assert sale_a.result == sale_b.result == 1.8
assert not any(line.startswith("result:") for line in _.diff.summary)  # nothing differs in the result
""",
    "after 04-09b": """
assert isinstance(trace.exception, KeyError)
steps = [(s.plugin_name, repr(s.exception), s.not_called) for _, s in trace.walk()]
assert steps == [("price_list", "KeyError('pie')", False), ("members", "None", True)]
""",
    "after 04-13": """
import nbplug.ipython
from nbplug.widgets import ManagerInspector

session = nbplug.ipython.get_session()
trace = session.last_trace
assert trace.result == 4.05
assert [s.plugin_name for _, s in trace.walk()] == ["PriceListB", "MembersB"]
assert session.manager_for("design_b").caller("price").mode == "pipeline"
session_map = ManagerInspector(session.managers).design.projects[0]
assert session_map.project == "design_b"
assert [cell.plugin for cell in session_map.hook("price").cells] == ["PriceListB", "MembersB"]
""",
}

PYTEST = {
    "after f65db58b": """
import sys

assert run.exit_code == 0 and "2 passed" in run.summary()
assert not (folder / ".pytest_cache").exists()  # -p no:cacheprovider
assert "test_shop" not in sys.modules           # the test module is forgotten again
assert hooks["pytest_collection"].calls == 1 and hooks["pytest_runtestloop"].calls == 1
assert hooks["pytest_runtest_protocol"].calls == 2
assert hooks["pytest_runtest_makereport"].calls == 6 and hooks["pytest_runtest_logreport"].calls == 6
""",
    "after 2ef724cb": """
path = recording.path_to(collect_file)
assert "<Module test_shop.py>" in collect_file.result  # the call that found the test file
assert [c.hook for c in path][0] == "pytest_cmdline_main" and "pytest_collection" in [c.hook for c in path]
shown = RecordingView(recording, path_to=collect_file)
assert shown.calls() == path  # only the chain, root first
tree = shown.text().split("path to #")[-1].splitlines()[1:]
assert len(tree) == len(path) and all(f"#{c.index} {c.hook}(" in line for c, line in zip(path, tree))
assert all(line.strip(" ·").startswith("[") for line in tree[1:])  # each marked with its maker
""",
    "after 05-path-report": """
path = recording.path_to(first_report)
assert [c.hook for c in path] == ["pytest_cmdline_main", "pytest_runtestloop", "pytest_runtest_protocol",
                                  "pytest_runtest_makereport"]  # three calls deep
tree = RecordingView(recording, path_to=first_report.index).text().splitlines()
assert tree[-1].strip().startswith(f"[runner] #{first_report.index} pytest_runtest_makereport(")
""",
    "after d9dab872": """
life = list(protocol.walk())
assert RecordingView(recording, within=protocol).calls() == [call for _, call in life]
whens = [call.kwargs["call"].split("when=")[1].split()[0].strip("'")
         for _, call in life if call.hook == "pytest_runtest_makereport"]
assert whens == ["setup", "call", "teardown"]
order = [call.hook for depth, call in life if depth == 1]
assert order[0] == "pytest_runtest_logstart" and order[-1] == "pytest_runtest_logfinish"
assert order.count("pytest_runtest_logreport") == 3
""",
    "after c9ce0b25": """
runner_step = next(s for s in call_phase.steps if s.plugin == "runner")
assert "outcome='passed'" in runner_step.result
assert [s.kind for s in call_phase.steps][-1] == "impl"  # the wrappers come first, outermost first
""",
    "after 6acf13b2": """
assert run2.exit_code == 0 and "3 passed" in run2.summary()
assert "outcome='failed'" in steps["runner"].result   # what pytest's runner plugin made
assert "outcome='passed'" in steps[conftest].result   # what the conftest.py wrapper returned
assert "outcome='passed'" in bug.result              # what pytest went on with
""",
    "after 3008d130": """
mine = next(c for c in makereport.cells if c.plugin.endswith("conftest.py"))
runner = makereport.cell_of("runner")
assert makereport.mode == "firstresult" and mine.wrapper and mine.position < runner.position
assert any(p.name == "terminalreporter" for p in design.plugins)
assert len(design.hooks) > 50 and len(design.plugins) > 24  # "over fifty hooks, dozens of plugins"
""",
    "after 5103d72d": """
names = [name for name, _ in linter_plugins.list_name_plugin()]
rule_plugins = [name for name in names if name.startswith("sqlfluff_rules_")]
assert 10 <= len(rule_plugins) <= 14 and "sqlfluff_rules_layout" in rule_plugins  # a dozen, by family
hooks_there = set(vars(linter_plugins.hook))
assert {"load_default_config", "get_templaters", "get_rules", "get_configs_info"} <= hooks_there
""",
    "after 05-record": """
import types

recorded = _.recording  # the magic's value is the view
assert {hook: stats.calls for hook, stats in recorded.hooks.items() if hook != "get_configs_info"} == {
    "load_default_config": 1, "get_templaters": 1, "get_rules": 1}  # once each
(rules,) = recorded.find(hook="get_rules")
nested = list(rules.children())
assert len(nested) > 5 and {call.hook for call in nested} == {"get_configs_info"}
makers = {step.plugin for step in rules.steps if step.calls}
assert makers and all(name.startswith("sqlfluff_rules_") for name in makers)  # made by rule plugins
codes = [v["code"] for v in violations]
assert "LT01" in codes  # the space before the comma
assert [v["code"] for v in sqlfluff.lint("SELECT a , b FROM t\\n", dialect="ansi")] == codes  # as plain
impls = [impl for caller in vars(linter_plugins.hook).values() if hasattr(caller, "get_hookimpls")
         for impl in caller.get_hookimpls()]
assert impls and all(type(impl.function) is types.FunctionType for impl in impls)  # nothing left
import pluggy

assert linter_plugins._inner_hookexec is pluggy.PluginManager("fresh")._inner_hookexec  # pluggy's own
""",
    "after 05-record-within": """
inside = RecordingView(lint.recording, within=get_rules).calls()
assert inside[0] == get_rules and len(inside) > 5
assert {call.hook for call in inside[1:]} == {"get_configs_info"}
""",
    "after 4a19675e": """
import sys

assert not folder.exists()
assert not any("nbplug-05-" in str(entry) for entry in sys.path)
""",
}

#: the notebooks' claims by file stem; the exercises notebook's are in tests/test_exercises.py too
CLAIMS: dict[str, dict[str, str]] = {
    "01_the_kit": KIT,
    "02_async_dispatch": ASYNC,
    "03_lifespans": LIFESPANS,
    "04_exploring_a_design": DESIGN,
    "05_how_pytests_plugins_work": PYTEST,
}
