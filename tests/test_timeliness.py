"""Timeliness: each report's dates against the deadline in force for its report year."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import lawreports
from lawreports import schema
from lawreports.timeliness import COLUMNS, deadline_for, load_deadlines, timeliness

from conftest import seed_path

D = dt.date

# Worked out by hand from SEED_EXPECTED (tests/test_metadata.py): report_year, published, signed.
# prefix: publish deadline, days_late, on_time, days_signed_to_published, signed_by_report_deadline
SEED_TIMELINESS = {
    "000": (D(2022, 4, 1), -62, True, None, None),     # 2021 report, 2022-01-29; no signature date
    "001": (D(2020, 4, 1), -1, True, 1, False),       # 2019, 2020-03-31, signed 2020-03-30 (after 1 March)
    "002": (D(2023, 4, 1), -18, True, None, None),    # 2022, 2023-03-14
    "003": (D(2024, 4, 1), -33, True, None, None),    # 2023, 2024-02-28 (2024 is a leap year)
    "004": (D(2023, 4, 1), -82, True, None, None),    # 2022, 2023-01-09
}


def _na(value):
    return None if pd.isna(value) else value


@pytest.fixture(scope="module")
def table(corpus):
    return timeliness(corpus).set_index(timeliness(corpus)["report_id"].str[:3])


@pytest.mark.parametrize("prefix", sorted(SEED_TIMELINESS))
def test_seed_timeliness_by_hand(prefix, table):
    row = table.loc[prefix]
    got = (row["publish_deadline"].date(), _na(row["days_late"]), _na(row["on_time"]),
           _na(row["days_signed_to_published"]), _na(row["signed_by_report_deadline"]))
    assert got == SEED_TIMELINESS[prefix]
    assert row["date_basis"] == "page"


def test_one_row_per_report_with_the_schema_columns(corpus, table):
    assert list(table.columns) == list(COLUMNS) == schema.columns("timeliness")
    assert sorted(table["report_id"]) == sorted(corpus.reports["report_id"])
    assert table["deadline_source"].str.contains("法治政府建设与责任落实督察工作规定").all()


@pytest.mark.parametrize("year, tier, kind, expected", [
    (2019, "county", "publish", D(2020, 4, 1)),        # the 2019 rules apply from the 2019 report
    (2018, "county", "publish", D(2019, 3, 31)),       # before them: the first quarter
    (2015, None, "publish", D(2016, 3, 31)),
    (2014, "county", "publish", None),                 # no rule: no deadline, no guess
    (2022, "province", "report", D(2023, 4, 1)),
    (2022, "prefecture", "report", D(2023, 3, 1)),
    (2022, "township", "report", D(2023, 3, 1)),
    (2022, None, "report", None),                      # the tier decides, and it is unknown
    (2017, None, "report", D(2018, 3, 31)),
    (None, "county", "publish", None),
])
def test_deadline_for(year, tier, kind, expected):
    assert deadline_for(year, tier, kind) == expected


def test_every_rule_row_is_reachable_and_cites_its_document():
    rules = load_deadlines()
    assert set(rules["deadline"]) == {"publish", "report"}
    for _, rule in rules.iterrows():
        year = int(rule["year_from"])
        tier = "county" if rule["tiers"] == "*" else rule["tiers"].split("|")[0]
        assert deadline_for(year, tier, rule["deadline"]) == D(year + 1, rule["month"], rule["day"])
        assert rule["source"].startswith("《")
    with pytest.raises(ValueError, match="`kind`"):
        deadline_for(2020, "county", "submit")


def test_published_from_the_signature_is_flagged_and_gives_no_signing_lag(tmp_path):
    # 天镇县 without the page's publication line: published falls back to the signature date
    text = seed_path("001").read_text("utf-8").replace("2020-03-31 阅读次数:10110", "阅读次数:10110")
    (tmp_path / "001_nodate.txt").write_text(text, "utf-8")
    corpus = lawreports.load_corpus(tmp_path)
    assert "published_from_signature" in corpus.reports["warnings"].iloc[0]
    row = timeliness(corpus).iloc[0]
    assert row["date_basis"] == "signature"
    assert row["published"].date() == D(2020, 3, 30) and row["days_late"] == -2 and row["on_time"]
    assert pd.isna(row["days_signed_to_published"])     # the same date twice says nothing
    assert not row["signed_by_report_deadline"]


def test_missing_dates_give_missing_values_never_guesses():
    reports = pd.DataFrame({
        "report_id": ["a", "b", "c", "d"], "tier": ["county", "province", None, "county"],
        "report_year": pd.array([2020, 2020, 2021, None], dtype="Int64"),
        "published": pd.to_datetime(["2021-04-02", None, "2022-03-31", "2021-01-01"]),
        "signed": pd.to_datetime(["2021-03-01", "2021-03-31", None, None]),
        "warnings": ["", "", None, ""],
    })
    t = timeliness({"reports": reports}).set_index("report_id")
    assert t.loc["a", "days_late"] == 1 and not t.loc["a", "on_time"]          # 2 April is late
    assert t.loc["a", "signed_by_report_deadline"] and t.loc["a", "days_signed_to_published"] == 32
    assert pd.isna(t.loc["b", "days_late"]) and pd.isna(t.loc["b", "on_time"]) and pd.isna(t.loc["b", "date_basis"])
    assert t.loc["b", "signed_by_report_deadline"]                              # a province: 1 April
    assert t.loc["c", "on_time"] and pd.isna(t.loc["c", "report_deadline"])     # tier unknown
    assert pd.isna(t.loc["d", "publish_deadline"]) and pd.isna(t.loc["d", "days_late"])


def test_reports_table_or_polars_corpus(corpus):
    from_table = timeliness(corpus.reports)
    from_polars = timeliness(corpus.to_polars())
    pd.testing.assert_frame_equal(from_table, from_polars)
    with pytest.raises(ValueError, match="report_year"):
        timeliness(corpus.reports.drop(columns=["report_year"]))


def test_readme_documents_every_column_of_the_tables_across_reports():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    for table, spec in schema.DERIVED_TABLES.items():
        assert f"### `{table}`" in readme, table
        for column, _, _ in spec:
            assert f"| `{column}` |" in readme, (table, column)
    assert set(schema.data_dictionary()["table"]) >= set(schema.DERIVED_TABLES)


def test_publication_dates_chart_marks_the_deadline(corpus):
    import matplotlib.pyplot as plt

    from lawreports.plot_time import publication_dates

    ax = publication_dates(timeliness(corpus))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["prefecture", "county", "township"]
    assert any(list(line.get_xdata()) == [0, 0] for line in ax.get_lines())      # the deadline
    assert sum(len(c.get_offsets()) for c in ax.collections) == 5                  # one point per report
    with pytest.raises(ValueError, match="`by`"):
        publication_dates(timeliness(corpus), by="province")
    plt.close("all")
