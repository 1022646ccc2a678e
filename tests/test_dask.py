"""The same per-file parse on a Dask cluster (a local one of two workers) gives the same tables."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import lawreports
from lawreports.dataset import Dataset
from lawreports.rows import TABLE_NAMES
from lawreports.sources import discover

from conftest import RAW

pytest.importorskip("dask.distributed")


def test_a_dask_build_gives_the_tables_of_a_one_process_build(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(2):
        for path in RAW.glob("*.txt"):
            shutil.copy(path, src / f"{i}_{path.name}")
    found = discover(src)
    one, two = Dataset(tmp_path / "one"), Dataset(tmp_path / "dask")
    one.update(found, executor="inline")
    result = two.update(found, executor="dask", jobs=2)
    assert result.parsed == 10 and result.failed == 0
    a, b = one.to_tables(), two.to_tables()
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    # and the same as an in-memory corpus
    memory = lawreports.load_corpus(src)
    pd.testing.assert_frame_equal(memory._tables["indicators"], a["indicators"], obj="indicators")
