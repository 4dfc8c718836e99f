"""The speed figures the README quotes are the ones in benchmarks/RESULTS.md, from the same run."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
RESULTS = (ROOT / "benchmarks" / "RESULTS.md").read_text()


def speed_section() -> str:
    match = re.search(r"^## Speed\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, "README has no ## Speed section"
    return match.group(1)


def ratios(text: str) -> list[str]:
    """Every ratio written as ``1.24×`` or ``1.24x`` (a number directly followed by the sign)."""
    return re.findall(r"(\d+(?:\.\d+)?)[×x](?![\w])", text)


def rounds_to(measured: str, quoted: str) -> bool:
    """Whether ``measured`` (as RESULTS.md prints it) rounds to ``quoted`` at its precision."""
    places = Decimal(quoted).as_tuple().exponent
    step = Decimal(1).scaleb(places)
    return Decimal(measured).quantize(step, rounding=ROUND_HALF_UP) == Decimal(quoted)


def test_the_readme_names_the_run_results_md_records() -> None:
    date = re.search(r"^- date: (\d{4}-\d\d-\d\d \d\d:\d\d) UTC", RESULTS, re.M)
    commit = re.search(r"^- code: git (\w+)", RESULTS, re.M)
    assert date and commit, "RESULTS.md does not record its date and commit"
    section = " ".join(speed_section().split())
    assert f"{date.group(1)} UTC" in section, f"README quotes another run than {date.group(1)}"
    assert f"commit {commit.group(1)}" in section, f"README quotes another commit than {commit.group(1)}"


def test_every_ratio_in_the_readme_is_measured_in_results_md() -> None:
    measured = ratios(RESULTS)
    quoted = ratios(speed_section())
    assert len(quoted) >= 10, "the README's speed section lost its figures"
    missing = [q for q in quoted if not any(rounds_to(m, q) for m in measured)]
    assert not missing, f"README ratios not found in benchmarks/RESULTS.md: {missing}"


def test_the_figure_check_can_tell_a_stale_figure() -> None:
    assert rounds_to("33.82", "33.8") and rounds_to("12.75", "12.8") and rounds_to("2.46", "2.46")
    assert rounds_to("2.46", "2.5")
    assert not rounds_to("2.41", "2.5") and not rounds_to("1.24", "1.25")
