"""Binder launch, verified offline: binder/ pins Python and installs nbplug itself.

The slow test builds a fresh virtual environment (no system site-packages) from binder/ exactly as
repo2docker would, `pip install -r binder/requirements.txt` run from the repository root, and
executes every notebook in it. Where jupyter-repo2docker is installed, `repo2docker --no-build
--debug` shows the Dockerfile it would build, and the install steps are checked there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


def requirement_lines() -> list[str]:
    """binder/requirements.txt without comments and blank lines."""
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_runtime_pins_python_3_11() -> None:
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


def test_requirements_install_the_package_itself_and_a_kernel() -> None:
    lines = requirement_lines()
    assert "." in lines, f"binder/requirements.txt must install nbplug itself ('.'): {lines}"
    names = {re.split(r"[<>=!~ \[]", line)[0].lower() for line in lines}
    assert {"ipykernel", "jupyterlab"} <= names, names


def test_requirements_install_pytest_for_the_pytest_notebook() -> None:
    names = {re.split(r"[<>=!~ \[]", line)[0].lower() for line in requirement_lines()}
    assert (ROOT / "notebooks" / "05_how_pytests_plugins_work.ipynb").is_file()
    assert "pytest" in names, "notebook 05 runs pytest in the kernel: binder/requirements.txt needs it"


def notebook_imports() -> dict[str, set[str]]:
    """The top-level modules each notebook's code cells import (magic lines read as ``pass``)."""
    import ast

    import nbformat
    from test_notebooks import as_python

    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(as_python(cell.source))):
                names = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                         [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
                for name in names:
                    found.setdefault(name.split(".")[0], set()).add(path.name)
    return found


def test_requirements_install_every_module_a_notebook_imports() -> None:
    from importlib.metadata import packages_distributions, requires

    listed = {re.split(r"[<>=!~ \[]", line)[0].lower() for line in requirement_lines()}
    nbplug_needs = {re.split(r"[<>=!~ \[;]", need)[0].lower() for need in requires("nbplug") or ()
                    if "extra ==" not in need}
    distributions = packages_distributions()
    missing = {}
    for module, notebooks in notebook_imports().items():
        if module in sys.stdlib_module_names or module == "nbplug":
            continue
        names = {name.lower() for name in distributions.get(module, [module])}
        if not names & (listed | nbplug_needs):
            missing[module] = sorted(notebooks)
    assert "sqlfluff" in notebook_imports()  # notebook 05's second system
    assert missing == {}, f"binder/requirements.txt does not install what notebooks import: {missing}"


def test_readme_badge_opens_the_first_notebook() -> None:
    readme = (ROOT / "README.md").read_text()
    badge = r"https://mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/HEAD\?labpath=([\w%.-]+)"
    match = re.search(badge, readme)
    assert match, "README has no Binder badge link"
    labpath = match.group(1).replace("%2F", "/")
    assert (ROOT / labpath).is_file(), labpath
    assert Path(labpath).name.startswith("01_"), labpath


def repo2docker() -> str | None:
    """The repo2docker command next to this Python, or on PATH."""
    here = Path(sys.executable).with_name("repo2docker")
    return str(here) if here.exists() else shutil.which("repo2docker")


@pytest.mark.skipif(repo2docker() is None, reason="jupyter-repo2docker is not installed")
def test_repo2docker_installs_the_package_after_copying_the_repository() -> None:
    command = repo2docker()
    assert command is not None
    proc = subprocess.run(
        [command, "--no-build", "--debug", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "python=3.11" in out, out
    copy_repo = out.find("COPY --chown=0:0 src/ ${REPO_DIR}/")
    workdir = out.find("WORKDIR ${REPO_DIR}")
    install = out.find('/bin/pip install --no-cache-dir -r "binder/requirements.txt"')
    assert -1 not in (copy_repo, workdir, install), out
    # pip runs in the repository root after the whole repository is in place, so "." is nbplug.
    assert workdir < install and copy_repo < install, out


@pytest.mark.slow
@pytest.mark.kernel
def test_fresh_environment_from_binder_files_runs_every_notebook(tmp_path: Path) -> None:
    env_dir = tmp_path / "binder-env"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    python = env_dir / "bin" / "python"
    environ = {k: v for k, v in os.environ.items() if k not in ("PIP_NO_CACHE_DIR", "VIRTUAL_ENV")}
    environ["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{environ.get('PATH', '')}"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-4000:]

    where = subprocess.run(
        [str(python), "-c", "import nbplug, sys; print(nbplug.__file__, sys.prefix)"],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert where.returncode == 0, where.stderr
    module_file, prefix = where.stdout.split()
    assert Path(module_file).is_relative_to(env_dir), module_file  # installed, not the checkout
    assert Path(prefix) == env_dir

    run = subprocess.run(
        [str(python), str(ROOT / "scripts/run_notebooks.py"), "--quiet"],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert run.returncode == 0, run.stdout + run.stderr[-4000:]
    assert run.stdout.splitlines() == [f"{name}: ok" for name in notebooks], run.stdout
