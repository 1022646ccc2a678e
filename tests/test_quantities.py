"""Tests for lawreports.quantities: numbers as written in the reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawreports.quantities import (
    cn_to_number,
    measure_words,
    parse_number,
    scan_numbers,
    unit_factor,
    unit_kind,
)

FIXTURES = Path(__file__).parent / "fixtures"


# (as written, value, qualifier, unit, span as written)
SHAPES = [
    ("95 %", 95.0, None, "%", "95 %"),
    ("调解成功率达  95 %", 95.0, None, "%", "95 %"),
    ("达90%以上", 90.0, "以上", "%", "90%以上"),
    ("9.5％", 9.5, None, "%", "9.5％"),
    ("2万余人次", 20000.0, "余", "人次", "2万余"),
    ("近2千名", 2000.0, "近", "名", "近2千"),
    ("百余场次", 100.0, "余", "场次", "百余"),
    ("1.2万余条", 12000.0, "余", "条", "1.2万余"),
    ("3.7亿条", 370000000.0, None, "条", "3.7亿"),
    ("15495万元", 15495.0, None, "万元", "15495"),
    ("309.5436万元", 309.5436, None, "万元", "309.5436"),
    ("超2014.63万条", 20146300.0, "超", "条", "超2014.63万"),
    ("近24万余次", 240000.0, "近,余", "次", "近24万余"),
    ("4100余名", 4100.0, "余", "名", "4100余"),
    ("52072余件", 52072.0, "余", "件", "52072余"),
    ("98余名", 98.0, "余", "名", "98余"),
    ("200多项", 200.0, "多", "项", "200多"),
    ("10万余件", 100000.0, "余", "件", "10万余"),
    ("万余册", 10000.0, "余", "册", "万余"),
    ("二十余场", 20.0, "余", "场", "二十余"),
    ("三百余人次", 300.0, "余", "人次", "三百余"),
    ("十几次", 10.0, "几", "次", "十几"),
    ("二十余万人", 200000.0, "余", "人", "二十余万"),
    ("十万元", 10.0, None, "万元", "十"),
    ("逾5000人", 5000.0, "逾", "人", "逾5000"),
    ("约86万元", 86.0, "约", "万元", "约86"),
    ("不足10%", 10.0, "不足", "%", "不足10%"),
    ("1,204件", 1204.0, None, "件", "1,204"),
    ("565   件", 565.0, None, "件", "565"),
    ("5个工作日", 5.0, None, "个工作日", "5"),
    ("30天", 30.0, None, "天", "30"),
    ("672件/次", 672.0, None, "件/次", "672"),
    ("326场(次)", 326.0, None, "场(次)", "326"),
    ("3个百分点", 3.0, None, "个百分点", "3"),
    ("百分之九十五", 95.0, None, "%", "百分之九十五"),
    ("百分之百", 100.0, None, "%", "百分之百"),
    ("4.5吨以下", 4.5, "以下", "吨", "4.5"),
    ("９５％", 95.0, None, "%", "９５％"),
]


@pytest.mark.parametrize(("written", "value", "qualifier", "unit", "span"), SHAPES)
def test_parse_number_shapes(written, value, qualifier, unit, span):
    parsed = parse_number(written)
    assert parsed is not None
    assert parsed.value == pytest.approx(value)
    assert parsed.qualifier == qualifier
    assert parsed.unit == unit
    assert parsed.text == span


@pytest.mark.parametrize(("written", "value", "qualifier", "unit", "span"), SHAPES)
def test_span_parses_back_to_the_same_value(written, value, qualifier, unit, span):
    again = parse_number(span)
    assert again is not None and again.value == pytest.approx(value)


def test_unit_kinds_and_multiplier_convention():
    assert parse_number("15495万元").unit_kind == "amount"
    assert parse_number("2万余人次").unit_kind == "count"
    assert parse_number("2万余人次").multiplier == 10000
    assert parse_number("5个工作日").unit_kind == "duration"
    assert parse_number("95 %").unit_kind == "percent"
    assert parse_number("3个百分点").unit_kind == "change"
    assert unit_kind("件/次") == "count"
    assert unit_kind(None) is None


def test_unit_factor_puts_amounts_on_one_scale():
    assert unit_factor("万元") == 1e4
    assert unit_factor("亿元") == 1e8
    assert unit_factor("元") == 1
    assert unit_factor("件") == 1
    assert unit_factor("千克") == 1


def test_word_prefixes_are_not_qualifiers():
    # 节约 / 最近 / 高超 end in a qualifier character but are words
    assert parse_number("节约327万元").qualifier is None
    assert parse_number("节约327万元").text == "327"
    assert parse_number("最近3天").qualifier is None


@pytest.mark.parametrize(("numeral", "value"), [
    ("二十", 20), ("两千", 2000), ("百", 100), ("万", 10000), ("一千零五", 1005),
    ("三十万", 300000), ("九十五点五", 95.5), ("十", 10),
])
def test_cn_to_number(numeral, value):
    assert cn_to_number(numeral) == value


@pytest.mark.parametrize("bad", ["", "十四五", "万万", "十十", "千千万"])
def test_cn_to_number_rejects_malformed(bad):
    assert cn_to_number(bad) is None


@pytest.mark.parametrize("text", ["", "无数字", "《》", "%", "万元", "——"])
def test_parse_number_none_without_a_number(text):
    assert parse_number(text) is None


def test_parse_number_on_non_string():
    assert parse_number(None) is None  # type: ignore[arg-type]
    assert list(scan_numbers(None)) == []  # type: ignore[arg-type]


def test_scan_offsets_and_units_on_fixture():
    text = (FIXTURES / "indicators_shapes.txt").read_text("utf-8")
    found = {m.text: m for m in scan_numbers(text)}
    for span, value, unit, qualifier in [
        ("1,204", 1204, "件", None), ("90%以上", 90, "%", "以上"), ("98.6 %", 98.6, "%", None),
        ("2万余", 20000, "人次", "余"), ("近2千", 2000, "名", "近"), ("百分之九十九", 99, "%", None),
        ("百余", 100, "场次", "余"), ("二十余", 20, "场", "余"), ("1.2万余", 12000, "份", "余"),
        ("万余", 10000, "册", "余"), ("三百余", 300, "人次", "余"), ("十几", 10, "次", "几"),
        ("逾5000", 5000, "人", "逾"), ("3.7亿", 3.7e8, "条", None), ("超2014.63万", 20146300, "条", "超"),
        ("近24万余", 240000, "次", "近,余"), ("12.5%", 12.5, "%", None), ("不足10%", 10, "%", "不足"),
        ("15495", 15495, "万元", None), ("约86", 86, "万元", "约"), ("3", 3, "个百分点", None),
    ]:
        m = found[span]
        assert text[m.start:m.end] == span
        assert m.value == pytest.approx(value)
        assert m.unit == unit
        assert m.qualifier == qualifier
        if unit != "%":
            assert text[m.unit_start:m.unit_end] == unit


def test_measure_words_resource():
    words = measure_words()
    for w in ["件", "宗", "起", "次", "人", "人次", "名", "项", "条", "个", "家", "场", "场次", "期", "本",
              "册", "部", "份", "户", "支", "万元", "亿元", "元", "天", "个工作日"]:
        assert w in words
    assert "人民" not in words  # compounds are kept apart


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,%％ 万亿千百十余多近超约逾不足以上下一二两三五九零件次人名项元天个工作日场(/)“”《》第年月日率为达，。、")),
               max_size=60))
def test_scan_never_raises_and_spans_round_trip(text):
    for m in scan_numbers(text):
        assert text[m.start:m.end] == m.text
        again = parse_number(m.text)
        assert again is not None
        assert again.value == pytest.approx(m.value)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_parse_number_never_raises(text):
    result = parse_number(text)
    assert result is None or isinstance(result.value, float)


def test_scanned_numbers_are_whole_records():
    """The scanner's records (made without __init__) equal, hash and show as the constructed ones."""
    import dataclasses

    from lawreports.indicators import extract_indicators

    text = "共受理矛盾调解案件353宗,调解成功352宗,调解成功率为99.7%,近2千名群众参与,百分之九十五以上"
    found = list(scan_numbers(text))
    assert len(found) >= 4
    for record in found + extract_indicators(text):
        names = [f.name for f in dataclasses.fields(record)]
        assert sorted(vars(record)) == sorted(names)
        built = type(record)(**{n: getattr(record, n) for n in names})
        assert built == record and hash(built) == hash(record) and repr(built) == repr(record)
        with pytest.raises(dataclasses.FrozenInstanceError):
            record.start = 0
