"""A dataset's stored state is never trusted blindly: damaged runs and states are rebuilt, strays pruned.

Each test builds a small dataset from copies of the seeds (parsed inline), damages it the way a
disk, a user or another version would, updates it again and checks the tables equal a clean
build's, with the damage reported (a warning, ``UpdateResult.rebuilt``).
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from lawreports.dataset import STATE_VERSION, Dataset
from lawreports.sources import discover

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("src")
    for path in sorted(RAW.glob("*.txt"))[:3]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def clean(source, tmp_path_factory) -> dict[str, pd.DataFrame]:
    data = Dataset(tmp_path_factory.mktemp("clean"))
    data.update(discover(source), executor="inline")
    return data.to_tables()


def _build(source: Path, folder: Path) -> Dataset:
    data = Dataset(folder)
    result = data.update(discover(source), executor="inline")
    assert result.parsed == 3
    return data


def _same(data: Dataset, clean: dict[str, pd.DataFrame]) -> None:
    tables = data.to_tables()
    for name, frame in clean.items():
        pd.testing.assert_frame_equal(tables[name], frame, check_dtype=False, obj=name)


def _update(data: Dataset, source: Path):
    return data.update(discover(source), executor="inline")


def test_an_untouched_dataset_is_not_parsed_again(source, clean, tmp_path):
    data = _build(source, tmp_path)
    again = _update(data, source)
    assert (again.parsed, again.rebuilt, again.unchanged) == (0, 0, 3)
    _same(data, clean)


def _damage_run(data: Dataset, how: str) -> None:
    (path,) = (data.tables_dir / "texts").glob("run-*.parquet")
    raw = path.read_bytes()
    if how == "missing":
        path.unlink()
    elif how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "edited":                      # one byte of the data changed, same size
        i = raw.index("县".encode()) if "县".encode() in raw else len(raw) // 2
        path.write_bytes(raw[:i] + bytes([raw[i] ^ 1]) + raw[i + 1:])
    elif how == "not_parquet":                 # same size, not parquet at all
        path.write_bytes(b"x" * len(raw))
    elif how == "empty":
        path.write_bytes(b"")


@pytest.mark.parametrize("how", ["missing", "truncated", "edited", "not_parquet", "empty"])
def test_a_damaged_run_is_dropped_and_its_files_parsed_again(source, clean, tmp_path, how, caplog):
    data = _build(source, tmp_path)
    _damage_run(data, how)
    with caplog.at_level(logging.WARNING, logger="lawreports.dataset"):
        again = _update(data, source)
    assert (again.parsed, again.rebuilt) == (3, 3), again
    assert "is dropped and its files parsed again" in caplog.text
    _same(data, clean)
    assert _update(data, source).parsed == 0


def _damage_state(path: Path, how: str) -> None:
    if how == "not_sqlite":
        path.write_bytes(b"this is not a database\n" * 200)
        return
    if how == "garbled_pages":
        raw = bytearray(path.read_bytes())
        for i in range(4096, len(raw), 97):      # keep the header, scramble the pages
            raw[i] ^= 0x5A
        path.write_bytes(bytes(raw))
        return
    db = sqlite3.connect(path)
    if how == "wrong_schema":
        db.execute("drop table run_files")
        db.execute("create table run_files (run integer, name text)")
    elif how == "wrong_type":
        db.execute("update files set run = 'run one'")
    elif how == "wrong_type_size":
        db.execute("update run_files set size = 'big'")
    elif how == "old_version":
        db.execute("update meta set value = '\"1\"' where key = 'state_version'")
    elif how == "no_version":
        db.execute("delete from meta where key = 'state_version'")
    db.commit()
    db.close()


@pytest.mark.parametrize("how", ["not_sqlite", "garbled_pages", "wrong_schema", "wrong_type", "wrong_type_size",
                                 "old_version", "no_version"])
def test_a_state_that_cannot_be_trusted_is_discarded_with_a_warning(source, clean, tmp_path, how, caplog):
    data = _build(source, tmp_path)
    _damage_state(data.state_path, how)
    with caplog.at_level(logging.WARNING, logger="lawreports.dataset"):
        again = _update(data, source)
    assert again.parsed == 3, again
    assert "cannot be trusted" in caplog.text, caplog.text
    _same(data, clean)
    db = sqlite3.connect(data.state_path)
    assert db.execute("select value from meta where key = 'state_version'").fetchone()[0] == f'"{STATE_VERSION}"'
    db.close()
    assert _update(data, source).parsed == 0


def test_strays_and_temporary_files_are_pruned_and_never_read(source, clean, tmp_path):
    data = _build(source, tmp_path)
    (run,) = (data.tables_dir / "reports").glob("run-*.parquet")
    stray = data.tables_dir / "reports" / "run-999999.parquet"
    shutil.copy(run, stray)                     # a run no state refers to: its rows would double
    assert len(data.to_tables()["reports"]) == 3, "an unreferenced run file is read"
    tmp = data.tables_dir / "texts" / "run-000002.1234.tmp"
    tmp.write_bytes(b"half a parquet file")
    again = _update(data, source)
    assert again.parsed == 0
    assert not stray.exists() and not tmp.exists()
    _same(data, clean)


def test_rewritten_runs_keep_valid_checksums(source, clean, tmp_path):
    # removing a file rewrites the run that held it; the new checksums must be the ones recorded
    data = _build(source, tmp_path)
    files = sorted(source.glob("*.txt"))
    fewer = discover([str(p) for p in files[:2]])
    assert data.update(fewer, executor="inline").removed == 1
    again = data.update(fewer, executor="inline")
    assert (again.parsed, again.rebuilt) == (0, 0)
    assert len(data.to_tables()["reports"]) == 2
    assert not list(data.tables_dir.glob("*/*.tmp"))


def test_a_file_changed_after_discovery_is_read_again_next_time(source, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(source, src)
    data = Dataset(tmp_path / "data")
    found = discover(src)
    target = Path(found.files[0].path)
    with open(target, "a", encoding="utf-8") as fh:     # after discovery, before the parse
        fh.write("\n补记：本年度新增执法人员12名。\n")
    data.update(found, executor="inline")
    import hashlib

    row = data.to_tables()["reports"].set_index("report_id").loc[found.files[0].report_id]
    assert row["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()   # the bytes parsed
    again = data.update(discover(src), executor="inline")
    assert again.parsed == 1          # the stat recorded is discovery's: the change is seen
