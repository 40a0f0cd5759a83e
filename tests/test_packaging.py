"""Packaging is part of the product: a non-editable install runs the demo from its bundled
samples (package data found with importlib.resources), and ``bench`` without its extra says
what to install in one line. Offline: the wheel is built without build isolation and installed
into a fresh venv that borrows the already installed dependencies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_wheel_installed_in_a_fresh_venv_runs_the_demo(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--no-build-isolation",
         "-q", "-w", wheels)  # fmt: skip
    (wheel,) = wheels.glob("diplomatic_tracker-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"tracker/samples/feeds.yaml", "tracker/samples/feeds/xinhua-world.xml",
            "benchmarks/__init__.py"} <= names  # fmt: skip

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--system-site-packages", venv)
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_DB_URL", "PYTHONPATH")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    where = _run(venv / "bin" / "python", "-c", "import tracker; print(tracker.__file__)",
                 cwd=elsewhere, env=env)  # fmt: skip
    assert where.startswith(str(venv))  # the installed copy, not the source tree
    report = json.loads(_run(venv / "bin" / "tracker", "demo", "--json", cwd=elsewhere, env=env))
    assert report["verify"]["broken_at"] is None
    assert sum(p["new_articles"] for p in report["polls"]) == 11
    assert report["store"].endswith("diplomatic-tracker/demo.db")


def test_bench_without_the_peer_library_says_so_in_one_line(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['eventsourcing'] = None; sys.argv = ['tracker', 'bench', "
        "'-n', '10']; from tracker.console import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 1
    assert done.stderr == (
        "Error: bench compares against the eventsourcing library, which is not installed: "
        "pip install 'diplomatic-tracker[bench]'\n"
    )
