"""Ctrl-C during ``lawreports build --jobs 2``: no worker left behind, no table that looks whole and
is not, and the next build goes on from the dataset to the tables of a clean build.

The build runs as a subprocess in its own session; SIGINT goes to its process group (what a
terminal's Ctrl-C does) or to the build alone (``kill -INT``), once its workers are up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from corpus_inputs import varied_corpus

N_FILES = 300
#: Files parsed when SIGINT is sent.
AFTER = 30
BUILD = [sys.executable, "-c", "import sys; from lawreports.cli import main; sys.exit(main())", "build"]
OPTIONS = ["--jobs", "2", "--format", "parquet", "--no-figures", "--quiet"]


def _children(pid: int) -> set[int]:
    """Every process below ``pid`` (psutil when installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            return {p.pid for p in psutil.Process(pid).children(recursive=True)}
        except psutil.NoSuchProcess:
            return set()
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        found.update(kids)
        todo += kids
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    varied_corpus(folder, N_FILES)
    return folder


def _interrupt(source: Path, out: Path, *, group: bool) -> tuple[subprocess.CompletedProcess, set[int]]:
    """Start a build, send SIGINT once its workers have parsed AFTER files (-v logs each file)."""
    proc = subprocess.Popen(BUILD + [str(source), "--out", str(out), "-v"] + OPTIONS[:-1],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        workers |= _children(proc.pid)
        if sum("lawreports.executors: parsing" in line for line in list(lines)) >= AFTER:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the build ended before it was interrupted"
    assert len(workers) >= 2, "the build never started its workers"
    if group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    stdout = proc.stdout.read()
    proc.wait(timeout=60)
    reader.join(timeout=10)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, "".join(lines)), workers


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(out / f"{name}.parquet") for name in ("reports", "indicators", "sections")}


@pytest.mark.parametrize("group", [True, False], ids=["ctrl_c_to_the_group", "sigint_to_the_build"])
def test_ctrl_c_leaves_no_worker_and_the_next_build_resumes(source, tmp_path, group):
    out = tmp_path / "out"
    done, workers = _interrupt(source, out, group=group)
    assert done.returncode == 130, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "lawreports: interrupted" in done.stderr
    assert "files parsed are kept" in done.stderr
    time.sleep(0.2)
    assert not [p for p in workers if _alive(p)], "a worker outlived the build"
    # no table that looks whole: nothing written out of the dataset, no half-written run file
    assert not (out / "reports.parquet").exists()
    assert not list((out / "dataset").glob("tables/*/*.tmp"))
    if not group:
        return                          # the resume is checked once (below), it costs a build
    resumed = subprocess.run(BUILD + [str(source), "--out", str(out)] + OPTIONS, capture_output=True,
                             text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"{N_FILES} reports read" in resumed.stdout
    cached = int(resumed.stdout.rsplit(", ", 1)[1].split()[0])
    assert AFTER <= cached < N_FILES, resumed.stdout     # went on from the files parsed before Ctrl-C
    clean = tmp_path / "clean"
    first = subprocess.run(BUILD + [str(source), "--out", str(clean)] + OPTIONS, capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]
    for name, frame in _tables(clean).items():
        pd.testing.assert_frame_equal(_tables(out)[name], frame, obj=name)
