"""Panels: units by division code across years, duplicates resolved, year-on-year changes."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

import lawreports
from lawreports import schema
from lawreports.panel import KEEP_RULE, panel, unit_ids

from conftest import seed_path


def next_year(text: str) -> str:
    """天镇县's 2019 report as if written a year later: every 2020 → 2021, then 2019 → 2020."""
    return text.replace("2020", "2021").replace("2019", "2020")


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """天镇县 2019 (the seed) and 2020 (its rates moved), plus 伊春市 2022."""
    folder = tmp_path_factory.mktemp("years")
    text = seed_path("001").read_text("utf-8")
    shutil.copy(seed_path("001"), folder / "tz2019.txt")
    later = re.sub(r"调解成功率达\s*95\s*%", "调解成功率达 97.5 %", next_year(text))   # the page has a no-break space
    later = later.replace("我县坚持", "我县始终坚持" * 10)           # 40 characters longer
    (folder / "tz2020.txt").write_text(later, "utf-8")
    shutil.copy(seed_path("002"), folder / "yc2022.txt")
    return lawreports.load_corpus(folder)


def test_seed_panel_one_row_per_report_keyed_by_code(corpus):
    p = panel(corpus, indicators=["调解成功率"])
    assert len(p) == 5 and p["n_reports"].eq(1).all() and p["dropped_reports"].isna().all()
    by = p.set_index("jurisdiction")
    assert by.loc["天镇县", "unit_id"] == "140222" and by.loc["天镇县", "unit_basis"] == "adcode"
    assert by.loc["武清区", "unit_id"] == "120114"
    # a town the township table places: its nine-digit code; a zone without a code: the names, flagged
    assert by.loc["珍溪镇", "unit_id"] == "500102101" and by.loc["珍溪镇", "unit_basis"] == "township_code"
    assert by.loc["海陵试验区", "unit_basis"] == "names"
    assert by.loc["天镇县", "调解成功率"] == 95.0 and by.loc["伊春市", "调解成功率"] == 98.6
    assert by.loc["武清区", "调解成功率_n_values"] == 0 and pd.isna(by.loc["武清区", "调解成功率"])
    assert by.loc["天镇县", "days_late"] == -1 and by.loc["珍溪镇", "days_late"] == -82
    assert p["n_chars_change"].isna().all()                      # one year each: no change


def test_default_columns_are_the_schema_columns(corpus):
    assert list(panel(corpus).columns) == schema.columns("panel")


def test_year_on_year_change(two_years):
    p = panel(two_years, indicators=["调解成功率"])
    tz = p[p["unit_id"] == "140222"].set_index("report_year")
    assert list(tz.index) == [2019, 2020]
    assert tz.loc[2020, "调解成功率"] == 97.5 and tz.loc[2020, "调解成功率_change"] == 2.5
    assert pd.isna(tz.loc[2019, "调解成功率_change"])
    chars = two_years.reports.set_index("report_id")["n_chars"]
    assert tz.loc[2020, "n_chars_change"] == chars["tz2020"] - chars["tz2019"] > 40
    assert tz.loc[2020, "days_late"] == -1 and tz.loc[2020, "days_late_change"] == 0
    assert len(p) == 3


def test_a_gap_year_gives_no_year_on_year_change():
    reports = pd.DataFrame({"report_id": ["a", "b"], "adcode": ["140222", "140222"],
                            "report_year": [2019, 2021], "n_chars": [100, 150]})
    p = panel({"reports": reports}, measures=["n_chars"])
    assert p["n_chars_change"].isna().all()


def test_several_values_of_one_indicator_are_explicit(corpus):
    # 海陵试验区 states 即办率 twice (95.29%, then 100%)
    first = panel(corpus, indicators=["即办率"]).set_index("jurisdiction")
    assert first.loc["海陵试验区", "即办率"] == 95.29 and first.loc["海陵试验区", "即办率_n_values"] == 2
    top = panel(corpus, indicators=["即办率"], aggregate="max").set_index("jurisdiction")
    assert top.loc["海陵试验区", "即办率"] == 100.0
    with pytest.raises(ValueError, match="`aggregate`"):
        panel(corpus, indicators=["即办率"], aggregate="sum")


def test_renamed_unit_is_one_unit_and_namesakes_are_two():
    reports = pd.DataFrame({
        "report_id": ["x2019", "x2020", "s", "c"],
        "jurisdiction": ["某县", "某区", "新华区", "新华区"],       # a county made a district, same code
        "province": ["河北省", "河北省", "河北省", "河北省"],
        "prefecture": ["甲市", "甲市", "石家庄市", "沧州市"],
        "adcode": ["130100", "130100", "130105", "130902"],         # 新华区 of 石家庄 and of 沧州
        "report_year": [2019, 2020, 2020, 2020],
    })
    units = unit_ids(reports).set_index("report_id")["unit_id"]
    assert units["x2019"] == units["x2020"] and units["s"] != units["c"]
    p = panel({"reports": reports}, measures=[])
    assert p.groupby("unit_id").size().to_dict() == {"130100": 2, "130105": 1, "130902": 1}


def test_a_crosswalk_joins_a_changed_code():
    reports = pd.DataFrame({"report_id": ["old", "new"], "adcode": ["130621", "130607"],
                            "report_year": [2014, 2015]})
    assert panel({"reports": reports}, measures=[])["unit_id"].nunique() == 2
    joined = panel({"reports": reports}, measures=[], crosswalk={"130621": "130607"})
    assert joined["unit_id"].tolist() == ["130607", "130607"]


def test_without_a_code_names_are_the_key_and_departments_are_their_own_unit():
    reports = pd.DataFrame({
        "report_id": ["t", "d", "g"], "jurisdiction": ["河北镇", "伊春市", "伊春市"],
        "province": ["山西省", "黑龙江省", "黑龙江省"], "prefecture": ["大同市", "伊春市", "伊春市"],
        "adcode": [None, "230700", "230700"], "division_type": ["town", "department", "city"],
        "body": [None, "伊春市司法局", None], "report_year": [2022, 2022, 2022],
        "township_code": [None, None, None],
    })
    units = unit_ids(reports).set_index("report_id")
    assert units.loc["t", "unit_id"] == "山西省|大同市|河北镇" and units.loc["t", "unit_basis"] == "names"
    assert units.loc["d", "unit_id"] == "230700:伊春市司法局" and units.loc["g", "unit_id"] == "230700"
    reports.loc[0, "township_code"] = "140222101"
    assert unit_ids(reports)["unit_id"].iloc[0] == "140222101"


def test_duplicates_of_one_unit_year_are_resolved_and_flagged(tmp_path):
    text = seed_path("001").read_text("utf-8")
    (tmp_path / "a_full.txt").write_text(text, "utf-8")
    (tmp_path / "b_copy.txt").write_text(text, "utf-8")                       # exact copy: duplicate_of
    cut = text.replace("4、改进信访工作。", "")                                 # a second, shorter version
    (tmp_path / "c_short.txt").write_text(cut, "utf-8")
    corpus = lawreports.load_corpus(tmp_path)
    assert corpus.reports.set_index("report_id").loc["b_copy", "duplicate_of"] == "a_full"
    p = panel(corpus, indicators=["调解成功率"])
    assert len(p) == 1
    row = p.iloc[0]
    assert row["report_id"] == "a_full" and row["n_reports"] == 3
    assert row["dropped_reports"] == "b_copy;c_short"
    assert "structure_score" in KEEP_RULE


def test_bad_arguments_name_the_parameter(corpus):
    with pytest.raises(ValueError, match="`measures`"):
        panel(corpus, measures=["n_words"])
    with pytest.raises(TypeError, match="lists of names"):
        panel(corpus, indicators="调解成功率")


def test_indicator_over_years_one_line_per_unit_one_facet_per_kind(two_years):
    import matplotlib.pyplot as plt

    from lawreports.plot_time import indicator_over_years

    grid = indicator_over_years(panel(two_years, indicators=["调解成功率"]), indicator="调解成功率")
    titles = [ax.get_title() for ax in grid.axes.flat]
    assert titles == ["city", "county"]
    county = grid.axes.flat[1]
    (line,) = county.get_lines()
    assert list(line.get_xdata()) == [2019, 2020] and list(line.get_ydata()) == [95.0, 97.5]
    with pytest.raises(ValueError, match="`indicator`"):
        indicator_over_years(panel(two_years), indicator="调解成功率")
    plt.close("all")


def test_corpus_panel_is_the_panel_of_the_corpus(corpus):
    pd.testing.assert_frame_equal(corpus.panel(indicators=["调解成功率"]), panel(corpus, indicators=["调解成功率"]))
