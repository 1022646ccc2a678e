"""Where files are parsed: in this process, in a pool of isolated worker processes, or on a Dask cluster.

Every executor runs the same pure function (:func:`lawreports.rows.parse_file`) on each file and
yields the results in the order the files were given, so the tables are the same whatever runs
them.

* ``inline`` parses in this process (the library's default for ``jobs=1``).
* ``process`` parses each file in a worker process of a ``pebble`` pool under a budget: a file
  that takes longer than ``Budget.seconds`` (``timeout``) or makes its worker grow by more than
  ``Budget.memory_mb`` (``too_complex``) becomes an ``errors`` row with stage ``worker``; the
  worker is replaced and the other files go on. This is what ``lawreports build`` uses, for
  ``--jobs 1`` too. Workers ignore Ctrl-C: the parent gets it, stops the pool (no worker is
  left behind) and the ``KeyboardInterrupt`` goes on to the caller.
* ``dask`` sends the files to a Dask cluster (``pip install "lawreports[dask]"``; a scheduler
  address, or a local cluster of ``jobs`` workers). The cluster's own memory limits apply; the
  per-file time budget is not enforced there.
"""

from __future__ import annotations

import gc
import logging
import resource
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from .errors import ReportError
from .rows import empty_rows, load_parser, parse_file
from .vocab import DEFAULT_MAX_BYTES

LOGGER = logging.getLogger(__name__)

__all__ = ["Budget", "Task", "EXECUTORS", "run"]

EXECUTORS = ("inline", "process", "dask")


@dataclass(frozen=True)
class Budget:
    """What one file may cost: seconds of parsing, and growth of its worker's memory (MiB)."""

    seconds: float = 120.0
    memory_mb: int = 2048


@dataclass(frozen=True)
class Task:
    """One file to parse."""

    path: str
    report_id: str
    shown: str
    url: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


def _parse(task: Task) -> dict:
    return parse_file(task.path, report_id=task.report_id, shown=task.shown, url=task.url,
                      max_bytes=task.max_bytes)


def _start_worker(memory_mb: int) -> None:
    """Worker start-up: Ctrl-C is the parent's to handle (it stops the pool), and the memory limit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(memory_mb)


def _limit_memory(memory_mb: int) -> None:
    """The address space may grow by ``memory_mb`` beyond what it holds now."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            vm = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
    except (OSError, StopIteration):
        return
    limit = vm + memory_mb * 2**20
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _failed(task: Task, error: str, message: str) -> dict:
    rows = empty_rows()
    rows["errors"].append({**ReportError(task.shown, "worker", message).as_row(), "error": error})
    return {"sha256": None, "size": None, "rows": rows}


def run(tasks: Iterable[Task], *, executor: str = "inline", jobs: int = 1, budget: Budget | None = None,
        scheduler: str | None = None) -> Iterator[tuple[Task, dict]]:
    """Parse every task's file; yields ``(task, result)`` in the order of ``tasks``."""
    if executor not in EXECUTORS:
        raise ValueError(f"The value for `executor` must be one of {list(EXECUTORS)}, not {executor!r}")
    if executor == "inline":
        results = ((task, _parse(task)) for task in tasks)
    elif executor == "process":
        results = _run_pool(tasks, jobs=jobs, budget=budget or Budget())
    else:
        results = _run_dask(tasks, jobs=jobs, scheduler=scheduler)
    for task, result in results:
        LOGGER.debug("parsing %s: %d reports, %d errors", task.shown, len(result["rows"]["reports"]),
                     len(result["rows"]["errors"]))
        yield task, result


def _run_pool(tasks: Iterable[Task], *, jobs: int, budget: Budget) -> Iterator[tuple[Task, dict]]:
    from pebble import ProcessExpired, ProcessPool

    window: deque = deque()
    load_parser()      # forked workers share the parser and the tokenizer's dictionary, outside their budget
    # and the collector leaves what they share alone: a full collection in a worker would walk
    # (and write to, so copy) every object of the parser (gc.freeze, the standard library's way)
    gc.freeze()
    pool = ProcessPool(max_workers=max(1, jobs), initializer=_start_worker, initargs=(budget.memory_mb,))
    try:
        it = iter(tasks)
        # files scheduled ahead of the one awaited: enough to keep the workers busy while the
        # caller writes a run of results (about half a second a thousand reports)
        ahead = 128 * max(1, jobs)
        while True:
            while len(window) < ahead:
                task = next(it, None)
                if task is None:
                    break
                window.append((task, pool.schedule(_parse, args=(task,), timeout=budget.seconds)))
            if not window:
                break
            task, future = window.popleft()
            try:
                result = future.result()
            except FutureTimeout:
                result = _failed(task, "timeout", f"parsing took longer than the {budget.seconds:g} s budget; "
                                 "the file is left out (raise it with --timeout)")
            except MemoryError:
                result = _failed(task, "too_complex", f"parsing needed more than the {budget.memory_mb} MiB "
                                 "memory budget; the file is left out (raise it with --memory)")
            except ProcessExpired as exc:
                code = getattr(exc, "exitcode", None)
                result = _failed(task, "too_complex", f"the worker parsing the file died ({exc}"
                                 + (f", exit code {code}" if code is not None else "")
                                 + f"), most often over the {budget.memory_mb} MiB memory budget "
                                 "(a library that cannot allocate aborts); the file is left out "
                                 "(raise it with --memory)")
            yield task, result
    finally:
        pool.stop()
        pool.join()
        gc.unfreeze()


def _run_dask(tasks: Iterable[Task], *, jobs: int, scheduler: str | None) -> Iterator[tuple[Task, dict]]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise RuntimeError('the dask executor needs the extra: pip install "lawreports[dask]"') from exc
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        batch: list[Task] = []
        for task in tasks:
            batch.append(task)
            if len(batch) >= 256:
                yield from zip(batch, client.gather(client.map(_parse, batch, pure=False)))
                batch = []
        if batch:
            yield from zip(batch, client.gather(client.map(_parse, batch, pure=False)))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

