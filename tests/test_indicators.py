"""Tests for lawreports.indicators: stated rates, counts and amounts, their checks, and blanks."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawreports.indicators import (
    Indicator,
    canonical_name,
    check_indicators,
    extract_indicators,
    find_blanks,
    lexicon,
)
from lawreports.quantities import parse_number
from lawreports.structure import section_at

FIXTURES = Path(__file__).parent / "fixtures"
KINDS = {"rate", "change", "reduction", "count", "amount", "duration"}


def fixture_text(name: str) -> str:
    return (FIXTURES / f"indicators_{name}.txt").read_text("utf-8")


# --- every stated percentage of the seeds: (label, value, kind, indicator), in text order ---------

PERCENTAGES = {
    "000": [  # 海陵试验区
        ("即办率", 95.29, "rate", "即办率"),
        ("时限压减率", 92.85, "rate", "办理时限压减率"),
        ("即办率", 100, "rate", "即办率"),
        ("时限压减率", 95.81, "rate", "办理时限压减率"),
        ("综合纠错率", 100, "rate", "行政复议纠错率"),
        ("调解成功率", 99.7, "rate", "调解成功率"),
    ],
    "001": [  # 天镇县
        ("节约率", 8.49, "rate", "政府采购资金节约率"),
        ("办理时限压缩", 67, "reduction", "办理时限"),
        ("办理时限压缩", 67, "reduction", "办理时限"),
        ("办理时限压缩", 80, "reduction", "办理时限"),
        ("证明事项压减", 63, "reduction", "证明事项"),
        ("办理时限压缩", 95, "reduction", "办理时限"),
        ("满意率", 100, "rate", "建议提案满意率"),
        ("基本满意率", 100, "rate", "建议提案基本满意率"),
        ("调解成功率", 95, "rate", "调解成功率"),
    ],
    "002": [  # 伊春市
        ("网办率", 100, "rate", "全程网办率"),
        ("零跑动比率", 92, "rate", "零跑动比率"),
        ("即办件比率", 90, "rate", "即办率"),
        ("按时备案率", 100, "rate", "规范性文件按时备案率"),
        ("调解成功率", 98.6, "rate", "调解成功率"),
        ("覆盖率", 100, "rate", "法治副校长配备率"),
        ("办复率", 100, "rate", "建议提案办复率"),
    ],
    "003": [  # 武清区
        ("一窗通办率", 90, "rate", "一窗通办率"),
        ("完成率", 99.1, "rate", "完成率"),
        ("行政执法人员参与率", 100, "rate", "行政执法人员参与率"),
        ("职权履职率", 100, "rate", "职权履职率"),
        ("行政机关负责人出庭应诉率", 100, "rate", "行政机关负责人出庭应诉率"),
        ("代表委员答复满意率", 100, "rate", "建议提案满意率"),
        ("落实满意率", 100, "rate", "建议提案落实满意率"),
        ("纠错率", 21.08, "rate", "行政复议纠错率"),
        ("同比增长", 77, "change", "政府信息公开申请"),
        ("监管事项认领率", 87.21, "rate", "监管事项认领率"),
        ("同比提升", 20.68, "change", "监管事项认领率"),
        ("检查实施清单完成率", 100, "rate", "检查实施清单完成率"),
        ("应报完备实施清单完成率", 100, "rate", "应报完备实施清单完成率"),
        ("参考率", 100, "rate", "学法考试参考率"),
        ("合格率", 100, "rate", "学法考试合格率"),
    ],
    "004": [],  # 珍溪镇 states no percentage
}


@pytest.fixture(scope="module")
def extracted(seeds):
    return {k: extract_indicators(r.text, r.sections) for k, r in seeds.items()}


def test_seed_percentages_total_37():
    assert sum(len(v) for v in PERCENTAGES.values()) == 37
    assert [len(PERCENTAGES[k]) for k in sorted(PERCENTAGES)] == [6, 9, 7, 15, 0]


@pytest.mark.parametrize("prefix", sorted(PERCENTAGES))
def test_seed_percentages_exactly(prefix, seeds, extracted):
    text = seeds[prefix].text
    rows = [r for r in extracted[prefix] if r.unit == "%"]
    got = [(r.label, r.value, r.kind, r.indicator) for r in rows]
    assert got == [(lab, pytest.approx(v), k, ind) for lab, v, k, ind in PERCENTAGES[prefix]]
    for r in rows:
        written = text[r.start:r.end]
        assert "%" in written
        assert parse_number(written).value == pytest.approx(r.value)


def test_percentage_spans_as_written(seeds, extracted):
    spans = {seeds["001"].text[r.start:r.end] for r in extracted["001"] if r.label == "调解成功率"}
    assert spans == {"95 %"}
    (window,) = [r for r in extracted["003"] if r.indicator == "一窗通办率"]
    assert seeds["003"].text[window.start:window.end] == "90%以上"
    assert window.qualifier == "以上"


def test_shared_value_gives_one_row_per_label(seeds, extracted):
    rows = [r for r in extracted["003"] if r.label in ("检查实施清单完成率", "应报完备实施清单完成率")]
    assert len(rows) == 2
    assert rows[0].start == rows[1].start and rows[0].end == rows[1].end


def test_change_keeps_base_indicator(extracted):
    (change,) = [r for r in extracted["003"] if r.label == "同比增长"]
    assert change.indicator == "政府信息公开申请" and change.domain == "政务公开"
    reductions = [r for r in extracted["001"] if r.kind == "reduction"]
    assert {(r.indicator, r.domain) for r in reductions} == {("办理时限", "政务服务"), ("证明事项", "政务服务")}


def test_ordinals_are_not_counts():
    rows = extract_indicators("召开第十三次常务会议，第 2 次审议，开展第3轮评查，共审议议题12项。")
    assert [(r.value, r.unit) for r in rows] == [(12, "项")]


def test_rate_domains(extracted):
    by_label = {r.label: r for r in extracted["003"] if r.unit == "%"}
    assert by_label["纠错率"].domain == "行政复议"
    assert by_label["行政机关负责人出庭应诉率"].domain == "行政应诉"
    assert by_label["监管事项认领率"].domain == "执法监督"


# --- a hand-checked sample of counts, amounts and durations -------------------------------------

# (seed, span as written, value, unit, kind, qualifier, canonical indicator or None)
QUANTITIES = [
    ("000", "680", 680, "项", "count", None, "依申请政务服务事项"),
    ("000", "648", 648, "项", "count", None, "即办件"),
    ("000", "353", 353, "宗", "count", None, "调解矛盾纠纷"),
    ("000", "352", 352, "宗", "count", None, "调解成功"),
    ("000", "98余", 98, "名", "count", "余", None),
    ("000", "近2千", 2000, "名", "count", "近", "学法考试参考人数"),
    ("000", "2359", 2359, "条", "count", None, None),
    ("000", "28", 28, "份", "count", None, "合法性审查"),
    ("000", "191", 191, "起", "count", None, None),
    ("000", "371", 371, "起", "count", None, "专项整治行动"),
    ("000", "672", 672, "件/次", "count", None, None),
    ("000", "1230", 1230, "人/次", "count", None, None),
    ("000", "30", 30, "天", "duration", None, None),
    ("001", "3525", 3525, "万元", "amount", None, "政府采购交易总额"),
    ("001", "327", 327, "万元", "amount", None, "政府采购节约金额"),
    ("001", "309.5436", 309.5436, "万元", "amount", None, "行政事业性收费"),
    ("001", "26176", 26176, "件", "count", None, None),
    ("001", "733", 733, "件", "count", None, "调解矛盾纠纷"),
    ("001", "688", 688, "件", "count", None, "调解成功"),
    ("001", "565", 565, "件", "count", None, "调解矛盾纠纷"),
    ("001", "200多", 200, "项", "count", "多", None),
    ("001", "4.5", 4.5, "吨", "amount", "以下", None),
    ("001", "90", 90, "件", "count", None, "人大代表建议"),
    ("002", "超2014.63万", 20146300, "条", "count", "超", None),
    ("002", "近24万余", 240000, "次", "count", "近,余", "12345热线诉求"),
    ("002", "10万余", 100000, "件", "count", "余", "12345热线诉求"),
    ("002", "百余", 100, "场次", "count", "余", "法治宣传活动"),
    ("002", "4100余", 4100, "名", "count", "余", "行政执法人员培训"),
    ("002", "万余", 10000, "册", "count", "余", None),
    ("002", "近2万", 20000, "人次", "count", "近", None),
    ("002", "2万余", 20000, "人次", "count", "余", None),
    ("002", "4812", 4812, "件", "count", None, "调解矛盾纠纷"),
    ("002", "4744", 4744, "件", "count", None, "调解成功"),
    ("002", "326", 326, "场(次)", "count", None, None),
    ("002", "138", 138, "位", "count", None, None),
    ("002", "13393", 13393, "本", "count", None, "行政执法案卷"),
    ("002", "9", 9, "期", "count", None, None),
    ("003", "52072余", 52072, "件", "count", "余", "调解矛盾纠纷"),
    ("003", "15495", 15495, "万元", "amount", None, "社会救助资金"),
    ("003", "1.2万余", 12000, "条", "count", "余", None),
    ("003", "3.7亿", 370000000, "条", "count", None, None),
    ("003", "218", 218, "件", "count", None, "行政复议案件"),
    ("003", "35", 35, "件", "count", None, "行政复议纠错案件"),
    ("003", "1865", 1865, "件", "count", None, "政府信息公开申请"),
    ("003", "24", 24, "天", "duration", None, "办理时限"),
    ("003", "900余", 900, "项", "count", "余", None),
    ("003", "5387", 5387, "名", "count", None, "学法考试参考人数"),
    ("003", "56", 56, "支", "count", None, None),
    ("004", "4", 4, "名", "count", None, None),
    ("004", "3", 3, "支", "count", None, None),
]


@pytest.mark.parametrize(("prefix", "span", "value", "unit", "kind", "qualifier", "indicator"), QUANTITIES)
def test_seed_quantities(prefix, span, value, unit, kind, qualifier, indicator, seeds, extracted):
    text = seeds[prefix].text
    rows = [r for r in extracted[prefix] if text[r.start:r.end] == span and r.unit == unit]
    assert rows, f"{span}{unit} not extracted"
    r = rows[0]
    assert r.value == pytest.approx(value)
    assert r.kind == kind
    assert r.qualifier == qualifier
    if indicator is not None:
        assert r.indicator == indicator
    assert r.sentence and span in r.sentence


FORBIDDEN_VALUES = {
    "000": {2021, 2022, 2025, 662, 3890040, 3800009, 4417900001, 2021014343, 2014},
    "001": {2019, 2020, 2015, 2010, 13710, 12345},
    "002": {2021, 2022, 2023, 2025, 12345},
    "003": {2023, 2024, 2025, 20212025},
    "004": {2021, 2022, 2023, 2025},
}


@pytest.mark.parametrize("prefix", sorted(FORBIDDEN_VALUES))
def test_no_years_codes_or_names_become_quantities(prefix, extracted):
    rows = extracted[prefix]
    assert rows
    assert not [r for r in rows if r.value in FORBIDDEN_VALUES[prefix]]
    assert all(r.unit for r in rows)


def test_exclusions_fixture_keeps_only_the_real_count():
    text = fixture_text("exclusions")
    rows = extract_indicators(text)
    assert [(text[r.start:r.end], r.unit) for r in rows] == [("26176", "件")]


def test_every_row_is_traceable(seeds, extracted):
    for prefix, rows in extracted.items():
        text = seeds[prefix].text
        for r in rows:
            assert isinstance(r, Indicator)
            assert r.kind in KINDS
            assert 0 <= r.start < r.end <= len(text)
            assert parse_number(text[r.start:r.end]).value == pytest.approx(r.value)
            assert text[r.start:r.end] in r.sentence


def test_sections_fill_section_id_and_role(seeds, extracted):
    report = seeds["003"]
    for r in extracted["003"]:
        sec = section_at(report.sections, r.start)
        assert (r.section_id, r.role) == (sec.section_id, sec.role)
    roles = {r.role for r in extracted["003"]}
    assert "achievements" in roles


def test_sections_duck_typed_fallback():
    text = fixture_text("checks")
    cut = text.index("（二）")
    secs = [SimpleNamespace(section_id=0, role="preamble", start=0, end=len(text), depth=0),
            SimpleNamespace(section_id=1, role="achievements", start=0, end=cut, depth=1),
            SimpleNamespace(section_id=2, role="plans", start=cut, end=len(text), depth=1)]
    rows = extract_indicators(text, secs)
    assert {r.section_id for r in rows if r.start < cut} == {1}
    assert {r.role for r in rows if r.start >= cut} == {"plans"}


def test_without_sections_section_fields_are_empty():
    rows = extract_indicators(fixture_text("checks"))
    assert rows and all(r.section_id is None and r.role is None for r in rows)


# --- fixtures: every number shape, shared labels --------------------------------------------------

def test_shapes_fixture_kinds_and_values():
    text = fixture_text("shapes")
    rows = {text[r.start:r.end]: r for r in extract_indicators(text)}
    expected = {
        "1,204": (1204, "count", None), "90%以上": (90, "rate", "以上"), "98.6 %": (98.6, "rate", None),
        "2万余": (20000, "count", "余"), "近2千": (2000, "count", "近"),
        "百分之九十九": (99, "rate", None), "百余": (100, "count", "余"), "二十余": (20, "count", "余"),
        "1.2万余": (12000, "count", "余"), "万余": (10000, "count", "余"), "三百余": (300, "count", "余"),
        "十几": (10, "count", "几"), "逾5000": (5000, "count", "逾"), "200多": (200, "count", "多"), "3.7亿": (3.7e8, "count", None),
        "超2014.63万": (20146300, "count", "超"), "近24万余": (240000, "count", "近,余"),
        "12.5%": (12.5, "change", None), "5": (5, "duration", None), "30": (30, "duration", None),
        "不足10%": (10, "rate", "不足"), "15495": (15495, "amount", None), "约86": (86, "amount", "约"),
        "327": (327, "amount", None), "3": (3, "change", None), "8.5%": (8.5, "rate", None),
    }
    for span, (value, kind, qualifier) in expected.items():
        r = rows[span]
        assert (r.value, r.kind, r.qualifier) == (pytest.approx(value), kind, qualifier), span
    assert rows["12.5%"].indicator == "办件量"
    assert rows["200多"].indicator == "规范性文件"
    assert rows["3"].unit == "个百分点"
    assert rows["3"].indicator == "公共法律服务站点覆盖率"
    assert rows["8.5%"].qualifier is None and rows["8.5%"].indicator == "政府采购资金节约率"


def test_shared_fixture_labels():
    rows = [r for r in extract_indicators(fixture_text("shared")) if r.unit == "%"]
    assert [(r.label, r.indicator, r.value) for r in rows] == [
        ("满意率", "建议提案满意率", 100), ("基本满意率", "建议提案基本满意率", 100),
        ("代表委员答复满意率", "建议提案满意率", 98.5), ("落实满意率", "建议提案落实满意率", 98.5),
        ("参考率", "学法考试参考率", 100), ("合格率", "学法考试合格率", 100),
        ("检查实施清单完成率", "检查实施清单完成率", 100),
        ("应报完备实施清单完成率", "应报完备实施清单完成率", 100),
        ("行政执法人员参与率", "行政执法人员参与率", 100), ("职权履职率", "职权履职率", 100),
        ("信访事项及时受理率", "信访事项及时受理率", 99), ("按期办结率", "信访事项按期办结率", 99),
    ]


def test_context_words_disambiguate():
    assert canonical_name("纠错率", "全年办结行政复议案件218件,纠错35件,纠错率21.08%")[0] == "行政复议纠错率"
    assert canonical_name("纠错率", "执法案卷评查纠错率为3%")[0] == "纠错率"
    sentence = "12345热线全年受理来电3万余件,群众满意率达96.3%"
    assert canonical_name("满意率", sentence)[0] == "12345热线满意率"
    assert canonical_name("满意率", "共办理代表建议90件,满意率达100%")[0] == "建议提案满意率"
    assert canonical_name("满意率", "")[0] == "满意率"  # unknown without context: kept as written


# --- checks --------------------------------------------------------------------------------------

CHECKS = {
    "000": [("即办率", 95.29, 95.29, 648, 680, True), ("即办率", 100, 100, 256, 256, True),
            ("行政复议纠错率", 100, 100, 1, 1, True), ("调解成功率", 99.7, 99.72, 352, 353, True)],
    "001": [("政府采购资金节约率", 8.49, 8.49, 327, 3852, True), ("调解成功率", 95, 93.86, 688, 733, False)],
    "002": [("调解成功率", 98.6, 98.59, 4744, 4812, True)],
    "003": [("行政复议纠错率", 21.08, 16.06, 35, 218, False)],
    "004": [],
}


@pytest.mark.parametrize("prefix", sorted(CHECKS))
def test_seed_checks(prefix, seeds, extracted):
    checks = check_indicators(seeds[prefix].text, extracted[prefix])
    got = [(c.indicator, c.stated, c.recomputed, c.numerator, c.denominator, c.consistent) for c in checks]
    assert got == [(i, pytest.approx(s), pytest.approx(r), n, d, ok) for i, s, r, n, d, ok in CHECKS[prefix]]
    for c in checks:
        assert c.difference == pytest.approx(c.stated - c.recomputed, abs=0.01)
        assert c.consistent == (abs(c.difference) <= 0.5)
        assert seeds[prefix].text[c.start:c.end].startswith(str(c.stated).rstrip("0").rstrip(".")[:2])


def test_seed_check_notes(seeds, extracted):
    (wuqing,) = check_indicators(seeds["003"].text, extracted["003"])
    assert wuqing.note.startswith("cannot be reproduced from the stated counts: 35/218 = 16.06%")
    assert wuqing.difference == pytest.approx(5.02)
    tianzhen = {c.indicator: c for c in check_indicators(seeds["001"].text, extracted["001"])}
    assert tianzhen["调解成功率"].difference == pytest.approx(1.14)
    assert "327/(3525+327)" in tianzhen["政府采购资金节约率"].note


def test_checks_fixture_formulas():
    text = fixture_text("checks")
    checks = check_indicators(text, extract_indicators(text))
    got = [(c.indicator, c.numerator, c.denominator, c.consistent) for c in checks]
    assert got == [
        ("调解成功率", 1188, 1200, True),
        ("行政复议纠错率", 8, 50, True),           # 撤销 + 变更 when 纠错 is not stated
        ("行政诉讼败诉率", 4, 40, False),          # 4/40 = 10%, stated 15%
        ("政府采购资金节约率", 50, 1000, True),     # 50/(950+50)
        ("政府采购资金节约率", 250, 5000, True),    # 250/预算 5000
    ]


def test_no_formula_no_accusation():
    # 化解率 and 完成率 have no formula in the lexicon: counts beside them are not used
    text = "全年排查矛盾纠纷100件，化解80件，矛盾纠纷化解率达99%。推进餐饮单位514户，完成500户，完成率90%。"
    rows = extract_indicators(text)
    assert {r.indicator for r in rows if r.unit == "%"} == {"矛盾纠纷化解率", "完成率"}
    assert check_indicators(text, rows) == []


def test_rate_without_counts_is_not_checked(seeds, extracted):
    checked = {c.indicator for c in check_indicators(seeds["002"].text, extracted["002"])}
    assert "建议提案办复率" not in checked and "规范性文件按时备案率" not in checked


# --- blanks --------------------------------------------------------------------------------------

def test_tianzhen_blanks(seeds):
    text = seeds["001"].text
    blanks = find_blanks(text)
    assert len(blanks) >= 5
    assert [b.measure_word for b in blanks] == ["起", "", "次", "次", "件", "件"]
    contexts = " | ".join(b.context for b in blanks)
    for words in ["严厉查处 起", "专项检查 次", "专题培训 次", "物业纠纷 件", "联动解决纠纷 件", "给予纪律处分 、"]:
        assert words in contexts
    for b in blanks:
        assert text[b.start:b.end].strip() == b.measure_word
        assert text[b.start:b.end] in b.context


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_other_seeds_have_no_blanks(prefix, seeds):
    assert find_blanks(seeds[prefix].text) == []


def test_blanks_fixture():
    text = fixture_text("blanks")
    blanks = find_blanks(text)
    assert [b.measure_word for b in blanks] == ["次", "件", "起", "%", ""]
    assert "人民政府" not in " ".join(text[b.start:b.end + 1] for b in blanks)
    assert all(text[b.start:b.end].strip() == b.measure_word for b in blanks)


# --- lexicon -------------------------------------------------------------------------------------

def test_lexicon_size_and_columns():
    entries = lexicon()
    names = [e.canonical for e in entries]
    assert len(names) == len(set(names))
    assert len([e for e in entries if e.kind == "rate"]) >= 40
    for e in entries:
        assert e.domain and e.kind in {"rate", "count", "amount", "duration"} and e.labels and e.example


@pytest.mark.parametrize("entry", lexicon(), ids=lambda e: e.canonical)
def test_lexicon_example_sentence_yields_its_indicator(entry):
    rows = extract_indicators(entry.example)
    assert entry.canonical in {r.indicator for r in rows}
    assert entry.domain in {r.domain for r in rows if r.indicator == entry.canonical}


@pytest.mark.parametrize("entry", [e for e in lexicon() if e.numerator], ids=lambda e: e.canonical)
def test_lexicon_formula_reproduces_its_example(entry):
    text = entry.example
    checks = [c for c in check_indicators(text, extract_indicators(text)) if c.indicator == entry.canonical]
    assert checks and all(c.consistent for c in checks)


# --- robustness ----------------------------------------------------------------------------------

ALPHABET = list("0123456789.,%％ 万亿千百余多近超约逾以上一二三十两件次人名项条元天个工作日场宗起"
                "率为达均和、，。；：（）()“”《》第年月同比增长压缩纠错行政复议调解成功满意\n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=120))
def test_never_raises_and_offsets_round_trip(text):
    rows = extract_indicators(text)
    for r in rows:
        written = text[r.start:r.end]
        assert written
        assert parse_number(written).value == pytest.approx(r.value)
        assert math.isfinite(r.value)
        assert r.kind in KINDS
    for c in check_indicators(text, rows):
        assert c.consistent in (True, False)
    for b in find_blanks(text):
        assert text[b.start:b.end].strip() == b.measure_word or b.measure_word in ("%",)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_text(text):
    rows = extract_indicators(text)
    check_indicators(text, rows)
    find_blanks(text)
    for r in rows:
        assert text[r.start:r.end]


def test_non_string_input():
    assert extract_indicators("") == []
    assert extract_indicators(None) == []  # type: ignore[arg-type]
    assert find_blanks(None) == []  # type: ignore[arg-type]
    assert check_indicators(None, []) == []  # type: ignore[arg-type]
