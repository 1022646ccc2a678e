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

:func:`run_batches` sends the files a batch at a time and has each batch's rows made into
tables where they were parsed (what a dataset's build uses: the parent then receives a few Arrow
buffers a batch, not a Python object per value and a message per file); each file keeps its own
budget.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import resource
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from .errors import ReportError
from .rows import empty_rows, load_parser, parse_file
from .vocab import DEFAULT_MAX_BYTES

LOGGER = logging.getLogger(__name__)

__all__ = ["Budget", "Task", "EXECUTORS", "run", "run_batches"]

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
    _check(executor)
    if executor == "inline":
        results = ((task, _parse(task)) for task in tasks)
    elif executor == "process":
        results = _run_pool(tasks, jobs=jobs, budget=budget or Budget())
    else:
        results = ((task, res) for batch, (done, _) in _run_dask(tasks, jobs=jobs, scheduler=scheduler, convert=None)
                   for task, res in zip(batch, done))
    for task, result in results:
        LOGGER.debug("parsing %s: %d reports, %d errors", task.shown, len(result["rows"]["reports"]),
                     len(result["rows"]["errors"]))
        yield task, result


def run_batches(tasks: Iterable[Task], *, convert: Callable[[list[dict]], Any], size: int = 25,
                executor: str = "inline", jobs: int = 1, budget: Budget | None = None,
                scheduler: str | None = None) -> Iterator[tuple[list[Task], list[dict], Any]]:
    """Parse every task's file, ``size`` files at a time; yields ``(tasks, results, rows)`` in order.

    ``rows`` is what ``convert`` makes of the files' results, made where they were parsed (in
    the worker, for ``process`` and ``dask``: the parent receives, say, Arrow tables, not a
    Python object per value); ``results`` has each file's ``sha256``, ``size``, ``n_reports``
    and its ``errors`` rows. The budget stays each file's own: when a batch runs over it (or
    its worker dies), each of its files is parsed again alone, and only the one over it becomes
    its ``errors`` row (a file over the time budget thus takes it twice).
    """
    _check(executor)
    batches: Iterator[tuple[list[Task], tuple[list[dict], Any]]]
    if executor == "inline":
        batches = ((batch, _parse_batch(batch, convert)) for batch in _batched(tasks, size))
    elif executor == "process":
        batches = _run_pool_batches(tasks, jobs=jobs, budget=budget or Budget(), convert=convert, size=size)
    else:
        batches = _run_dask(tasks, jobs=jobs, scheduler=scheduler, convert=convert, size=size)
    for batch, (results, rows) in batches:
        yield batch, results, rows
        # said once the caller has taken the batch (and asks for the next): a file logged as parsed
        # is one the caller holds, also when Ctrl-C comes between two batches
        for task, result in zip(batch, results):
            LOGGER.debug("parsing %s: %d reports, %d errors", task.shown, result["n_reports"], len(result["errors"]))


def _check(executor: str) -> None:
    if executor not in EXECUTORS:
        raise ValueError(f"The value for `executor` must be one of {list(EXECUTORS)}, not {executor!r}")


def _batched(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    batch: list[Task] = []
    for task in tasks:
        batch.append(task)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _summary(result: dict) -> dict:
    """A file's result without its rows: what the caller of :func:`run_batches` needs of each file."""
    rows = result["rows"]
    return {"sha256": result["sha256"], "size": result["size"], "n_reports": len(rows["reports"]),
            "errors": rows["errors"]}


def _parse_batch(tasks: list[Task], convert: Callable[[list[dict]], Any] | None) -> tuple[list[dict], Any]:
    results = [_parse(task) for task in tasks]
    if convert is None:
        return results, None
    return [_summary(r) for r in results], convert(results)


@contextlib.contextmanager
def _pool(jobs: int, budget: Budget) -> Iterator[Any]:
    """A pool of ``jobs`` forked workers under ``budget``, stopped (no worker left) on leaving."""
    from pebble import ProcessPool

    load_parser()      # forked workers share the parser and the tokenizer's dictionary, outside their budget
    # and the collector leaves what they share alone: a full collection in a worker would walk
    # (and write to, so copy) every object of the parser (gc.freeze, the standard library's way)
    gc.freeze()
    pool = ProcessPool(max_workers=max(1, jobs), initializer=_start_worker, initargs=(budget.memory_mb,))
    try:
        yield pool
    finally:
        pool.stop()
        pool.join()
        gc.unfreeze()


def _outcomes(pool: Any, items: Iterable[Any], fn: Callable[[Any], Any], budget: Budget,
              ahead: int) -> Iterator[tuple[Any, Any, tuple[str, str] | None]]:
    """``(item, value, None)`` or ``(item, None, (error, message))`` for each item, in order: ``fn``
    run on it in the pool under the budget, ``ahead`` items scheduled ahead of the one awaited."""
    from pebble import ProcessExpired

    window: deque = deque()
    it = iter(items)
    while True:
        while len(window) < ahead:
            item = next(it, None)
            if item is None:
                break
            window.append((item, pool.schedule(fn, args=(item,), timeout=budget.seconds)))
        if not window:
            return
        item, future = window.popleft()
        try:
            yield item, future.result(), None
        except FutureTimeout:
            yield item, None, ("timeout", f"parsing took longer than the {budget.seconds:g} s budget; "
                               "the file is left out (raise it with --timeout)")
        except MemoryError:
            yield item, None, ("too_complex", f"parsing needed more than the {budget.memory_mb} MiB "
                               "memory budget; the file is left out (raise it with --memory)")
        except ProcessExpired as exc:
            code = getattr(exc, "exitcode", None)
            yield item, None, ("too_complex", f"the worker parsing the file died ({exc}"
                               + (f", exit code {code}" if code is not None else "")
                               + f"), most often over the {budget.memory_mb} MiB memory budget "
                               "(a library that cannot allocate aborts); the file is left out "
                               "(raise it with --memory)")


def _run_pool(tasks: Iterable[Task], *, jobs: int, budget: Budget) -> Iterator[tuple[Task, dict]]:
    with _pool(jobs, budget) as pool:
        # files scheduled ahead of the one awaited: enough to keep the workers busy while the
        # caller writes a run of results (about half a second a thousand reports)
        for task, result, failure in _outcomes(pool, tasks, _parse, budget, ahead=128 * max(1, jobs)):
            yield task, result if failure is None else _failed(task, *failure)


def _run_pool_batches(tasks: Iterable[Task], *, jobs: int, budget: Budget, convert: Callable[[list[dict]], Any],
                      size: int) -> Iterator[tuple[list[Task], tuple[list[dict], Any]]]:
    parse = functools.partial(_parse_batch, convert=convert)

    def failed(task: Task, failure: tuple[str, str]) -> tuple[list[dict], Any]:
        result = _failed(task, *failure)
        return [_summary(result)], convert([result])

    with _pool(jobs, budget) as pool:
        ahead = max(2, 128 * max(1, jobs) // size)
        for batch, value, failure in _outcomes(pool, _batched(tasks, size), parse, budget, ahead=ahead):
            if failure is None:
                yield batch, value
            elif len(batch) == 1:
                yield batch, failed(batch[0], failure)
            else:
                # which file was over the budget: each parsed again alone
                for alone, value, failure in _outcomes(pool, ([t] for t in batch), parse, budget, ahead=len(batch)):
                    yield alone, value if failure is None else failed(alone[0], failure)


def _run_dask(tasks: Iterable[Task], *, jobs: int, scheduler: str | None,
              convert: Callable[[list[dict]], Any] | None, size: int = 1,
              ) -> Iterator[tuple[list[Task], tuple[list[dict], Any]]]:
    """Batches of ``size`` files, each parsed (and converted) on a Dask worker; 256 files in flight."""
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
        group: list[list[Task]] = []
        for batch in _batched(tasks, size):
            group.append(batch)
            if len(group) * size >= 256:
                yield from zip(group, client.gather(client.map(_parse_batch, group, convert=convert, pure=False)))
                group = []
        if group:
            yield from zip(group, client.gather(client.map(_parse_batch, group, convert=convert, pure=False)))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
