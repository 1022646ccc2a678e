"""Shared fixtures: the bundled seed reports and the fixture folder."""

from __future__ import annotations

from pathlib import Path

import pytest

import lawreports

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: report_id prefix → jurisdiction, for readable parametrisation.
SEEDS = {
    "000": "海陵试验区",
    "001": "天镇县",
    "002": "伊春市",
    "003": "武清区",
    "004": "珍溪镇",
}


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (000…004)."""
    (path,) = RAW.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture(scope="session")
def seeds() -> dict[str, lawreports.Report]:
    """The five seed reports, read once, keyed by prefix."""
    return {prefix: lawreports.read_report(seed_path(prefix)) for prefix in SEEDS}


@pytest.fixture(scope="session")
def corpus() -> lawreports.Corpus:
    """The bundled corpus, loaded once."""
    return lawreports.load_corpus()
