"""The columnar build: every table as a folder of parquet runs, kept up to date file by file.

A dataset folder holds::

    tables/<table>/run-000001.parquet …   the rows of up to RUN_SIZE reports, every table
    .lawreports/state.sqlite              which file is in which run, with its size, time and hash
    .lawreports/lock                      held while a build writes (two builds never interleave)

:meth:`Dataset.update` takes a :class:`~lawreports.sources.Discovery` and brings the runs in
line with it: a file whose size and time are as recorded, under the same code, data and
options, is neither read nor hashed; a changed or new file is parsed (in the executor asked
for) and its rows go into a new run; the rows of a changed or removed file are taken out of the
run that held them. Results stream through: memory holds one run at a time, whatever the size of
the corpus. Each run is written under a temporary name and renamed when whole, and the state
is committed after the files, so an interrupted build leaves no table that looks complete but is
not; the next build picks up from what is recorded.

Nothing stored is trusted blindly. The state records the size and SHA-256 of every run file it
wrote; each update checks them (run files are small: hashing them costs a fraction of parsing)
and a run whose file is missing, truncated, edited or not a parquet file is dropped, its files
parsed again. A state database that is not SQLite, is damaged, has another layout or version
(:data:`STATE_VERSION`) or holds a value of the wrong type is discarded with a warning and the
dataset rebuilt from scratch. Run files no state refers to, and the temporary files of an
interrupted build, are deleted.

``tables/<table>/`` is one parquet dataset, readable by pyarrow, polars, DuckDB or Spark::

    polars.scan_parquet("out/tables/indicators/*.parquet")
    duckdb.sql("select * from 'out/tables/reports/*.parquet'")
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .executors import Budget, Task, run_batches
from .rows import TABLE_NAMES, environment
from .sources import Discovery, file_digest, url_for
from .vocab import DEFAULT_MAX_BYTES

LOGGER = logging.getLogger(__name__)

__all__ = ["Dataset", "UpdateResult", "RUN_SIZE", "BATCH_SIZE", "STATE_VERSION"]

#: Reports per run file: what a build holds in memory at once.
RUN_SIZE = 1000
#: Files parsed and made into Arrow tables together in a worker (a divisor of RUN_SIZE).
BATCH_SIZE = 25
#: Layout of the state database; a state of another version is discarded and the dataset rebuilt.
STATE_VERSION = "2"
_STATE = ".lawreports"
#: The state's tables: columns with their declared type, and the types a value may have in them.
_SCHEMA: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "files": (("path", "blob", ("blob",)), ("shown", "text", ("text",)), ("report_id", "text", ("text",)),
              ("size", "integer", ("integer", "null")), ("mtime_ns", "integer", ("integer", "null")),
              ("sha256", "text", ("text", "null")), ("url", "text", ("text", "null")),
              ("env", "text", ("text",)), ("run", "integer", ("integer",)), ("ord", "integer", ("integer",))),
    "runs": (("run", "integer", ("integer",)),),
    "run_files": (("run", "integer", ("integer",)), ("tbl", "text", ("text",)), ("size", "integer", ("integer",)),
                  ("sha256", "text", ("text",))),
    "extra": (("kind", "text", ("text",)), ("path", "text", ("text",)), ("a", "text", ("text", "null")),
              ("b", "text", ("text", "null")), ("c", "text", ("text", "null"))),
    "meta": (("key", "text", ("text",)), ("value", "text", ("text",))),
}
_KEYS = {"files": "primary key (path)", "runs": "primary key (run)", "run_files": "primary key (run, tbl)",
         "meta": "primary key (key)"}


class _BadState(Exception):
    """The state database cannot be trusted (why, in the message)."""


@functools.lru_cache(maxsize=None)
def arrow_schema(table: str):
    """The Arrow types of a table's stored columns (:mod:`lawreports.schema`)."""
    import pyarrow as pa

    from . import schema

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32()}
    return pa.schema([(c, types[k]) for c, k, _ in schema.TABLES[table] if c not in schema.DERIVED.get(table, ())])


def arrow_rows(results: list[dict]) -> dict[str, Any]:
    """The rows of parsed files (:func:`lawreports.rows.parse_file`) as one Arrow table per table."""
    import pyarrow as pa

    return {table: pa.Table.from_pylist([row for res in results for row in res["rows"][table]],
                                        schema=arrow_schema(table)) for table in TABLE_NAMES}


@dataclass
class UpdateResult:
    """What an update did: files parsed, unchanged, removed, and whether any table changed."""

    parsed: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    seconds: float = 0.0
    changed: bool = False
    rebuilt: int = 0          # files parsed again because the run that held them failed its check
    failures: list[dict[str, str]] = field(default_factory=list)


class Dataset:
    """A dataset folder (see the module docstring)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.tables_dir = self.folder / "tables"
        self.state_dir = self.folder / _STATE

    # -- state ---------------------------------------------------------------------------------
    @property
    def state_path(self) -> Path:
        return self.state_dir / "state.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        fresh = not self.state_path.exists()
        db = sqlite3.connect(self.state_path)
        for table, columns in _SCHEMA.items():
            cols = [f"{c} {t}" for c, t, _ in columns]
            db.execute(f"create table if not exists {table} ({', '.join(cols + [_KEYS[table]] if table in _KEYS else cols)})")
        if fresh:
            db.execute("insert or replace into meta values ('state_version', ?)", (f'"{STATE_VERSION}"',))
            db.commit()
        return db

    def _check_state(self, db: sqlite3.Connection) -> None:
        """Raise :class:`_BadState` unless the state is sound SQLite of this layout and version."""
        if db.execute("pragma quick_check").fetchone()[0] != "ok":
            raise _BadState("the database is damaged")
        version = db.execute("select value from meta where key = 'state_version'").fetchone()
        if version is None or version[0] != f'"{STATE_VERSION}"':
            raise _BadState(f"it is of another version ({version[0] if version else 'none'}, "
                            f"this lawreports writes {STATE_VERSION})")
        for table, columns in _SCHEMA.items():
            found = [(name, kind.lower()) for _, name, kind, *_ in db.execute(f"pragma table_info({table})")]
            if found != [(c, t) for c, t, _ in columns]:
                raise _BadState(f"its table {table} has the columns {found}")
            for column, _, allowed in columns:
                wrong = db.execute(f"select count(*) from {table} where typeof({column}) not in "
                                   f"({','.join('?' * len(allowed))})", allowed).fetchone()[0]
                if wrong:
                    raise _BadState(f"{wrong} values of {table}.{column} are not of type {' or '.join(allowed)}")

    def _open_state(self) -> sqlite3.Connection:
        """The state, checked; a state that cannot be trusted is discarded and the dataset started anew."""
        db = None
        try:
            db = sqlite3.connect(self.state_path) if self.state_path.exists() else None
            if db is not None:
                self._check_state(db)
                db.close()
            return self._connect()
        except (sqlite3.DatabaseError, _BadState) as exc:
            if db is not None:
                db.close()
            LOGGER.warning("the state of the dataset %s cannot be trusted (%s): it is discarded and every "
                           "file parsed again", self.folder, exc)
            self._discard()
            return self._connect()

    def _discard(self) -> None:
        shutil.rmtree(self.tables_dir, ignore_errors=True)
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{self.state_path}{suffix}").unlink(missing_ok=True)

    def _verify_runs(self, db: sqlite3.Connection) -> int:
        """Drop every run whose files are not the ones recorded; returns the reports to parse again."""
        recorded: dict[int, dict[str, tuple[int, str]]] = {}
        for run_id, table, size, sha in db.execute("select run, tbl, size, sha256 from run_files"):
            recorded.setdefault(run_id, {})[table] = (size, sha)
        bad = []
        for (run_id,) in db.execute("select run from runs").fetchall():
            why = self._run_problem(run_id, recorded.get(run_id, {}))
            if why:
                LOGGER.warning("run %d of the dataset %s is dropped and its files parsed again: %s",
                               run_id, self.folder, why)
                bad.append(run_id)
        orphans = [r for (r,) in db.execute("select distinct run from files where run not in (select run from runs)")]
        n = 0
        for run_id in bad + orphans:
            n += db.execute("delete from files where run = ?", (run_id,)).rowcount
            db.execute("delete from runs where run = ?", (run_id,))
            db.execute("delete from run_files where run = ?", (run_id,))
            for table in TABLE_NAMES:
                self._run_path(table, run_id).unlink(missing_ok=True)
        db.execute("delete from run_files where run not in (select run from runs)")
        db.commit()
        return n

    def _run_problem(self, run_id: int, recorded: dict[str, tuple[int, str]]) -> str | None:
        for table in TABLE_NAMES:
            path = self._run_path(table, run_id)
            if table not in recorded:
                return f"no checksum recorded for {path.name} of {table}"
            size, sha = recorded[table]
            try:
                now = path.stat().st_size
                found = file_digest(path) if now == size else (now, None)
            except OSError:
                return f"{table}/{path.name} is missing"
            if found[0] != size:
                return f"{table}/{path.name} has {found[0]} bytes, {size} were written"
            if found[1] != sha:
                return f"{table}/{path.name} was altered since it was written (its SHA-256 differs)"
        return None

    def _prune(self, db: sqlite3.Connection) -> None:
        """Delete run files no run refers to, and temporary files an interrupted build left."""
        runs = {r for (r,) in db.execute("select run from runs")}
        if not self.tables_dir.is_dir():
            return
        for folder in self.tables_dir.iterdir():
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                name = path.name
                stale = name.endswith(".tmp") or not (
                    folder.name in TABLE_NAMES and name.startswith("run-") and name.endswith(".parquet")
                    and name[4:-8].isdigit() and int(name[4:-8]) in runs)
                if stale and path.is_file():
                    LOGGER.info("removing %s (not part of the dataset)", path)
                    path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder for one build; a second build into it waits (two builds never interleave)."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with open(self.state_dir / "lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def exists(self) -> bool:
        return (self.state_dir / "state.sqlite").is_file()

    def reset(self) -> None:
        """Forget every file: the next update parses them all again."""
        self._discard()

    def get_meta(self, key: str) -> Any:
        """A value stored with :meth:`set_meta` (None when there is none)."""
        import json

        if not self.exists():
            return None
        db = self._connect()
        row = db.execute("select value from meta where key = ?", (key,)).fetchone()
        db.close()
        return json.loads(row[0]) if row else None

    def set_meta(self, key: str, value: Any) -> None:
        import json

        db = self._connect()
        db.execute("insert or replace into meta values (?, ?)", (key, json.dumps(value, ensure_ascii=False)))
        db.commit()
        db.close()

    # -- update --------------------------------------------------------------------------------
    def update(self, discovery: Discovery, *, executor: str = "process", jobs: int = 1,
               budget: Budget | None = None, scheduler: str | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES, urls: dict[str, str] | None = None,
               progress: Callable[[int], None] | None = None) -> UpdateResult:
        """Bring the dataset in line with ``discovery`` (see the module docstring)."""
        import time

        started = time.perf_counter()
        urls = urls or {}
        env = environment(max_bytes)
        result = UpdateResult()
        with self.lock():
            db = self._open_state()
            result.rebuilt = self._verify_runs(db)
            self._prune(db)
            known = {bytes(row[0]): row[1:] for row in db.execute(
                "select path, size, mtime_ns, env, run, url, report_id, shown from files")}
            todo: list[tuple[int, Task]] = []
            keep: set[bytes] = set()
            for order, f in enumerate(discovery.files):
                key = os.fsencode(f.path)
                url = url_for(urls, f.path)
                old = known.get(key)
                if old and old[0] == f.size and old[1] == f.mtime_ns and old[2] == env and old[4] == url \
                        and old[5] == f.report_id:
                    keep.add(key)
                    db.execute("update files set ord = ? where path = ?", (order, key))
                    result.unchanged += 1
                    continue
                todo.append((order, Task(f.path, f.report_id, f.shown, url, max_bytes)))
            stale_runs: dict[int, tuple[set[str], set[str]]] = {}
            gone = [k for k in known if k not in keep]
            for k in gone:
                run_id, rid, shown = known[k][3], known[k][5], known[k][6]
                if run_id is not None:
                    rids, paths = stale_runs.setdefault(run_id, (set(), set()))
                    rids.add(rid)
                    paths.add(shown)
            parsed_again = {os.fsencode(t.path) for _, t in todo}
            result.removed = sum(1 for k in gone if k not in parsed_again)
            extra_changed = self._store_extra(db, discovery)
            pending = db.execute("select 1 from meta where key = 'pending'").fetchone() is not None
            if not todo and not gone and not extra_changed and not pending and not result.rebuilt:
                db.commit()
                db.close()
                result.seconds = time.perf_counter() - started
                return result
            result.changed = True
            # take the rows of changed and removed files out of their runs
            for run_id, (rids, paths) in stale_runs.items():
                self._drop_reports(db, run_id, rids, paths)
            for k in gone:
                db.execute("delete from files where path = ?", (k,))
            # parse what changed, a run at a time
            next_run = (db.execute("select coalesce(max(run), 0) from runs").fetchone()[0] or 0) + 1
            buffer: list[tuple[int, Task, dict]] = []
            batches: list[dict[str, Any]] = []      # their rows: Arrow tables, a batch of files each

            def flush() -> None:
                nonlocal next_run
                if not buffer:
                    return
                self._write_run(db, next_run, batches)
                db.execute("insert into runs values (?)", (next_run,))
                for order, task, res in buffer:
                    # the size and time seen by discovery, not now: a file changed since is read again
                    f = source_of[order]
                    db.execute("insert or replace into files values (?,?,?,?,?,?,?,?,?,?)",
                               (os.fsencode(task.path), task.shown, task.report_id, f.size, f.mtime_ns,
                                res["sha256"], task.url, env, next_run, order))
                db.commit()
                next_run += 1
                buffer.clear()
                batches.clear()

            order_of = {id(t): o for o, t in todo}
            source_of = {o: discovery.files[o] for o, _ in todo}
            # until the last step, the tables are not whole (duplicates unmarked): the next update
            # finishes them even when no file changed
            db.execute("insert or replace into meta values ('pending', 'true')")
            db.commit()
            try:
                # no more workers than files: a rebuild after one edit starts one
                # a run is a whole number of batches (RUN_SIZE files)
                for tasks, results, rows in run_batches(
                        (t for _, t in todo), convert=arrow_rows, size=BATCH_SIZE, executor=executor,
                        jobs=max(1, min(jobs, len(todo))), budget=budget, scheduler=scheduler):
                    for task, res in zip(tasks, results):
                        buffer.append((order_of[id(task)], task, res))
                        if res["errors"] and not res["n_reports"]:
                            result.failed += 1
                            result.failures += res["errors"]
                    batches.append(rows)
                    result.parsed += len(tasks)
                    if progress is not None:
                        progress(len(tasks))
                    if len(buffer) >= RUN_SIZE:
                        flush()
            except KeyboardInterrupt:
                # keep what was parsed: the next update starts from it
                LOGGER.warning("interrupted: the %d files parsed are kept in %s; the next build goes on from them",
                               result.parsed, self.folder)
                flush()
                raise
            flush()
            self._drop_empty_runs(db)
            self._mark_duplicates(db)
            db.execute("insert or replace into meta values ('env', ?)", (env,))
            db.execute("delete from meta where key = 'pending'")
            db.commit()
            db.close()
        result.seconds = time.perf_counter() - started
        return result

    def _store_extra(self, db: sqlite3.Connection, discovery: Discovery) -> bool:
        """The discovery's errors and skipped files (rewritten each build); True when they changed."""
        rows = ([("error", e["path"], e["stage"], e["error"], e["message"]) for e in discovery.errors]
                + [("skipped", s["path"], s["reason"], None, None) for s in discovery.skipped])
        before = db.execute("select kind, path, a, b, c from extra order by rowid").fetchall()
        if before == rows:
            return False
        db.execute("delete from extra")
        db.executemany("insert into extra values (?,?,?,?,?)", rows)
        return True

    # -- runs ----------------------------------------------------------------------------------
    def _run_path(self, table: str, run_id: int) -> Path:
        return self.tables_dir / table / f"run-{run_id:06d}.parquet"

    def _store(self, db: sqlite3.Connection, table: str, run_id: int, frame: Any) -> None:
        """Write one run file under a temporary name, rename it when whole, record its size and hash."""
        import pyarrow.parquet as pq

        path = self._run_path(table, run_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        pq.write_table(frame, tmp)
        size, sha = file_digest(tmp)
        os.replace(tmp, path)
        db.execute("insert or replace into run_files values (?, ?, ?, ?)", (run_id, table, size, sha))

    def _write_run(self, db: sqlite3.Connection, run_id: int, batches: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        for table in TABLE_NAMES:
            self._store(db, table, run_id, pa.concat_tables([rows[table] for rows in batches]))

    def _drop_reports(self, db: sqlite3.Connection, run_id: int, report_ids: set[str], paths: set[str]) -> None:
        """Take the rows of some reports (and the errors of their files) out of a run."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        for table in TABLE_NAMES:
            path = self._run_path(table, run_id)
            if not path.is_file():
                continue
            frame = pq.read_table(path)
            column, values = ("path", paths) if table == "errors" else ("report_id", report_ids)
            kept = frame.filter(pc.invert(pc.is_in(frame[column], pa.array(sorted(values), pa.string()))))
            self._store(db, table, run_id, kept)

    def _drop_empty_runs(self, db: sqlite3.Connection) -> None:
        used = {r for (r,) in db.execute("select distinct run from files")}
        for (run_id,) in db.execute("select run from runs").fetchall():
            if run_id not in used:
                for table in TABLE_NAMES:
                    self._run_path(table, run_id).unlink(missing_ok=True)
                db.execute("delete from runs where run = ?", (run_id,))
                db.execute("delete from run_files where run = ?", (run_id,))

    def _mark_duplicates(self, db: sqlite3.Connection) -> None:
        """duplicate_of: the first report (in the sources' order) with the same clean text."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        order = {rid: o for rid, o in db.execute("select report_id, ord from files")}
        paths = [self._run_path("reports", r) for (r,) in db.execute("select run from runs order by run")]
        frames = {p: pq.read_table(p) for p in paths}
        first: dict[str, tuple[int, str]] = {}
        for frame in frames.values():
            for rid, sha in zip(frame["report_id"].to_pylist(), frame["text_sha256"].to_pylist()):
                o = order.get(rid, 1 << 60)
                if sha not in first or (o, rid) < first[sha]:
                    first[sha] = (o, rid)
        for path, frame in frames.items():
            rids = frame["report_id"].to_pylist()
            shas = frame["text_sha256"].to_pylist()
            old = frame["duplicate_of"].to_pylist()
            warnings = frame["warnings"].to_pylist()
            new = [first[s][1] if first[s][1] != r else None for r, s in zip(rids, shas)]
            if new == old:
                continue
            flags = []
            for w, d in zip(warnings, new):
                parts = [x for x in (w or "").split(";") if x and x != "duplicate"]
                if d is not None:
                    parts.append("duplicate")
                flags.append(";".join(parts))
            frame = frame.set_column(frame.schema.get_field_index("duplicate_of"), "duplicate_of",
                                     pa.array(new, pa.string()))
            frame = frame.set_column(frame.schema.get_field_index("warnings"), "warnings",
                                     pa.array(flags, pa.string()))
            self._store(db, "reports", int(path.stem.removeprefix("run-")), frame)

    # -- reading -------------------------------------------------------------------------------
    def order(self) -> dict[str, int]:
        db = self._connect()
        out = {rid: o for rid, o in db.execute("select report_id, ord from files")}
        db.close()
        return out

    def extra(self) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """The discovery's errors and skipped files of the last build."""
        db = self._connect()
        rows = db.execute("select kind, path, a, b, c from extra order by rowid").fetchall()
        db.close()
        errors = [{"path": p, "stage": a, "error": b, "message": c} for k, p, a, b, c in rows if k == "error"]
        skipped = [{"path": p, "reason": a} for k, p, a, _, _ in rows if k == "skipped"]
        return errors, skipped

    def read_table(self, table: str) -> Any:
        """One table as a pyarrow Table, its rows in the sources' order."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        db = self._connect()
        runs = [r for (r,) in db.execute("select run from runs order by run")]
        db.close()
        parts = [pq.read_table(self._run_path(table, r)) for r in runs]
        frame = pa.concat_tables(parts) if parts else arrow_schema(table).empty_table()
        return frame

    def _layout(self) -> tuple[list[int], dict[str, int], dict[str, int]]:
        """The runs in order, and the sources' order of every report (by id) and file (by name shown)."""
        db = self._connect()
        runs = [r for (r,) in db.execute("select run from runs order by run")]
        order, path_order = {}, {}
        for rid, shown, o in db.execute("select report_id, shown, ord from files"):
            order[rid] = o
            path_order[shown] = o
        db.close()
        return runs, order, path_order

    def segments(self, table: str) -> list[tuple[int, int, int]]:
        """The rows of ``table`` in the sources' order, as slices of its runs: ``(run, start, stop)``.

        Each run holds its reports' rows together, in the sources' order; a file parsed again
        lands in a later run, so the table in order is a merge of the runs by each report's
        place in the sources, read off the key column alone (``report_id``, or ``path`` for
        ``errors``).
        """
        import numpy as np
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        runs, order, path_order = self._layout()
        key, rank = ("path", path_order) if table == "errors" else ("report_id", order)
        pieces: list[tuple[int, int, int, int]] = []      # (order, run, start, stop)
        for run_id in runs:
            path = self._run_path(table, run_id)
            if not path.is_file():
                continue
            values = pq.read_table(path, columns=[key])[key].combine_chunks()
            n = len(values)
            if not n:
                continue
            # where the key changes from the row before: the start of each report's rows (a
            # missing key, as a file's error may have, is one key of its own)
            values = pc.fill_null(values, "\x00")
            changed = pc.not_equal(values.slice(1), values.slice(0, n - 1)).to_numpy(zero_copy_only=False)
            starts = [0, *(np.flatnonzero(changed) + 1).tolist()]
            for k, start, stop in zip(values.take(starts).to_pylist(), starts, [*starts[1:], n]):
                pieces.append((rank.get(k, 1 << 60), run_id, start, stop))
        pieces.sort(key=lambda p: p[0])          # stable: rows of one key stay in their run's order
        out: list[tuple[int, int, int]] = []
        for _, run_id, start, stop in pieces:
            if out and out[-1][0] == run_id and out[-1][2] == start:
                out[-1] = (run_id, out[-1][1], stop)
            else:
                out.append((run_id, start, stop))
        return out

    def iter_table(self, table: str, *, columns: list[str] | None = None,
                   where: Callable[[Any], Any] | None = None) -> Iterator[Any]:
        """``table`` in the sources' order as pyarrow Tables of at most a run each (memory: one run).

        ``columns`` selects columns; ``where(batch)`` gives a boolean mask of the rows to keep.
        For ``errors``, the files discovery could not read come first, as in :meth:`to_tables`.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = arrow_schema(table)
        if columns is not None:
            schema = pa.schema([schema.field(c) for c in columns])
        if table == "errors":
            errors, _ = self.extra()
            if errors:
                head = pa.Table.from_pylist(errors, schema=arrow_schema("errors")).select(schema.names)
                yield head.filter(where(head)) if where is not None else head
        current: tuple[int, Any] | None = None
        for run_id, start, stop in self.segments(table):
            if current is None or current[0] != run_id:
                frame = pq.read_table(self._run_path(table, run_id), columns=schema.names)
                current = (run_id, frame.cast(schema) if frame.schema != schema else frame)
            piece = current[1].slice(start, stop - start)
            yield piece.filter(where(piece)) if where is not None else piece

    def ordered_table(self, table: str, **options: Any) -> Any:
        """``table`` in the sources' order as one pyarrow Table (:meth:`iter_table`, gathered)."""
        import pyarrow as pa

        pieces = list(self.iter_table(table, **options))
        if not pieces:
            schema = arrow_schema(table)
            columns = options.get("columns")
            return (pa.schema([schema.field(c) for c in columns]) if columns else schema).empty_table()
        return pa.concat_tables(pieces)

    def n_rows(self, table: str) -> int:
        """Rows of ``table`` (from the parquet footers: nothing is read)."""
        import pyarrow.parquet as pq

        runs, _, _ = self._layout()
        n = sum(pq.ParquetFile(self._run_path(table, r)).metadata.num_rows for r in runs
                if self._run_path(table, r).is_file())
        if table == "errors":
            n += len(self.extra()[0])
        return n

    def digest(self, tables: tuple[str, ...] | list[str] | None = None) -> str:
        """A key of what ``tables`` hold: their run files' hashes and the sources' order.

        Two datasets with the same digest give the same rows in the same order, so an output
        made from these tables can be kept while the digest stays the same.
        """
        import hashlib

        tables = list(tables or TABLE_NAMES)
        db = self._connect()
        h = hashlib.sha256()
        for row in db.execute(f"select run, tbl, sha256 from run_files where tbl in ({','.join('?' * len(tables))}) "
                              "order by run, tbl", tables):
            h.update(repr(row).encode())
        for row in db.execute("select report_id, shown, ord from files order by ord"):
            h.update(repr(row).encode())
        if "errors" in tables:
            for row in db.execute("select kind, path, a, b, c from extra order by rowid"):
                h.update(repr(row).encode())
        db.close()
        return h.hexdigest()

    def to_tables(self) -> dict[str, Any]:
        """Every table as pandas, rows in the sources' order (the order of an in-memory corpus)."""
        import pandas as pd

        order = self.order()
        db = self._connect()
        path_order = {shown: o for shown, o in db.execute("select shown, ord from files")}
        db.close()
        errors, _ = self.extra()
        out = {}
        for table in TABLE_NAMES:
            frame = self.read_table(table).to_pandas(types_mapper=pandas_types)
            if table == "errors":
                frame = pd.concat([pd.DataFrame(errors, columns=list(frame.columns)), frame.assign(
                    _o=frame["path"].map(path_order)).sort_values("_o", kind="stable").drop(columns="_o")],
                    ignore_index=True) if len(frame) or errors else frame
            else:
                frame = frame.assign(_o=frame["report_id"].map(order)).sort_values("_o", kind="stable").drop(
                    columns="_o")
            out[table] = frame.reset_index(drop=True)
        return out


def pandas_types(arrow_type: Any) -> Any:
    """The pandas nullable dtype of an Arrow type (``types_mapper`` of ``Table.to_pandas``)."""
    import pandas as pd
    import pyarrow as pa

    if pa.types.is_string(arrow_type):
        return pd.StringDtype()
    if pa.types.is_int64(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_float64(arrow_type):
        return pd.Float64Dtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    return None
