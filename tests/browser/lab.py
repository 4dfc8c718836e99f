"""Run JupyterLab headless on 127.0.0.1 and drive it with Playwright on Debian's Chromium.

The server gets its own config/data/runtime dirs under a temporary folder (the venv's
share/jupyter, where the ipywidgets lab extension and the python3 kernel spec live, stays visible
through sys.prefix), a random token and a free port; it is killed with its whole process group
(the kernels too) when the context ends, whatever happened.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path(os.environ.get("NBPLUG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def browser_missing() -> str | None:
    """Why the browser test cannot run here (None when it can): Chromium or Playwright missing."""
    if not CHROMIUM.exists():
        return (
            f"Chromium not found at {CHROMIUM}: install Debian's package (`sudo apt-get install "
            "chromium`, which scripts/setup does when run as root) or set NBPLUG_CHROMIUM to a "
            "Chromium binary"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing: pip install -e '.[test]'"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Lab:
    """A running JupyterLab server."""

    url: str
    token: str
    root: Path
    log: Path

    def lab_url(self, path: str) -> str:
        """The browser URL that opens ``path`` (relative to the root dir) in JupyterLab."""
        return f"{self.url}/lab/tree/{path}?token={self.token}"

    def api(self, path: str) -> object:
        """GET a server REST endpoint (JSON)."""
        request = urllib.request.Request(
            f"{self.url}/api/{path}", headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def shutdown_kernels(self) -> int:
        """Shut down every kernel the server runs (a test's notebook is done); returns how many."""
        kernels = self.api("kernels")
        assert isinstance(kernels, list)
        for kernel in kernels:
            request = urllib.request.Request(
                f"{self.url}/api/kernels/{kernel['id']}", method="DELETE",
                headers={"Authorization": f"token {self.token}"},
            )
            with contextlib.suppress(urllib.error.URLError), urllib.request.urlopen(request, timeout=10):
                pass
        return len(kernels)

    def log_tail(self, lines: int = 60) -> str:
        """The end of the server's log, for failure messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def _quiet_lab_settings(config_dir: Path) -> None:
    """User settings that keep JupyterLab from asking: no news or update checks (no network), and
    no kernel-choice dialog (the notebook's own python3 kernel starts, as a person would pick)."""
    user = config_dir / "lab" / "user-settings" / "@jupyterlab"
    for extension, name, values in (
        ("apputils-extension", "notification", {"fetchNews": "false", "checkForUpdates": False}),
        ("notebook-extension", "tracker", {"autoStartDefaultKernel": True}),
    ):
        (user / extension).mkdir(parents=True, exist_ok=True)
        (user / extension / f"{name}.jupyterlab-settings").write_text(json.dumps(values))


@contextlib.contextmanager
def jupyter_lab(tmp: Path, *, timeout: float = 60.0) -> Iterator[Lab]:
    """Start JupyterLab serving ``tmp/root`` and yield it once its API answers; kill it at the end."""
    root = tmp / "root"
    root.mkdir(exist_ok=True)
    env = dict(os.environ)
    for name in ("config", "data", "runtime"):
        (tmp / f"jupyter-{name}").mkdir(exist_ok=True)
    env["JUPYTER_CONFIG_DIR"] = str(tmp / "jupyter-config")
    env["JUPYTER_DATA_DIR"] = str(tmp / "jupyter-data")
    env["JUPYTER_RUNTIME_DIR"] = str(tmp / "jupyter-runtime")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp / "jupyter-data" / "workspaces")
    env["IPYTHONDIR"] = str(tmp / "ipython")
    env.pop("JUPYTER_PATH", None)
    env["PYTHONUNBUFFERED"] = "1"
    _quiet_lab_settings(tmp / "jupyter-config")
    token = secrets.token_hex(16)
    port = free_port()
    log = tmp / "jupyterlab.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--IdentityProvider.token={token}",
        "--ServerApp.password=",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--no-browser",
        f"--ServerApp.root_dir={root}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.news_url=",
        "--LabApp.extension_manager=readonly",
        "--ServerApp.terminals_enabled=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI containers run as root
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the kernels die with it
        )
    lab = Lab(f"http://127.0.0.1:{port}", token, root, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {process.returncode} while starting:\n" + lab.log_tail()
                )
            try:
                lab.api("status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not answer on {lab.url} within {timeout:.0f} s:\n" + lab.log_tail()
                    ) from None
                time.sleep(0.2)
        yield lab
    finally:
        _kill_group(process)


@contextlib.contextmanager
def lab_for_test(tmp: Path, files: Iterable[Path] = ()) -> Iterator[Lab]:
    """The JupyterLab a browser test drives, serving copies of ``files`` (notebooks) from its root;
    the test is skipped -- with a warning on stderr naming what is missing -- when Chromium or
    Playwright is not there, so a machine without them says so instead of passing in silence."""
    import pytest  # a test-only helper: pytest is there whenever it runs

    missing = browser_missing()
    if missing:
        print(f"\nWARNING: browser test SKIPPED: {missing}", file=sys.stderr)
        pytest.skip(f"browser test needs Chromium + Playwright: {missing}")
    with jupyter_lab(tmp) as server:
        for path in files:
            shutil.copy(path, server.root / path.name)
        yield server


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and everything it started: SIGTERM the group, then SIGKILL if needed."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def which_chromium() -> str:
    """The Chromium binary path as a string, for Playwright's executable_path."""
    return str(CHROMIUM if CHROMIUM.is_absolute() else shutil.which(str(CHROMIUM)) or CHROMIUM)
