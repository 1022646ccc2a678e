"""Tests for lawreports.structure: section tree, parts, shortcomings, outline."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lawreports
from lawreports import structure
from lawreports.structure import (
    PARTS,
    REQUIRED_PARTS,
    Section,
    extract_shortcomings,
    outline,
    outline_html,
    parse_sections,
    part_summary,
    section_at,
)

from conftest import FIXTURES, SEEDS, seed_path

FIXTURE_NAMES = sorted(p.name for p in FIXTURES.glob("structure_*.txt"))


def _seed_text(prefix: str) -> str:
    """The clean text of a seed report (the text every offset refers to)."""
    return lawreports.read_report(seed_path(prefix)).text


def _year(text: str) -> int | None:
    """The report year as the metadata stage decides it (structure receives it)."""
    return lawreports.read_report(text=text).meta.report_year


def _fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


def _parsed(text: str) -> tuple[list[Section], dict[int, Section]]:
    sections = parse_sections(text, report_year=_year(text))
    return sections, {s.section_id: s for s in sections}


def _top_parts(sections: list[Section]) -> list[Section]:
    return [s for s in sections if s.parent_id == 0]


def _check_tree(text: str, sections: list[Section]) -> None:
    by_id = {s.section_id: s for s in sections}
    assert sections[0].kind == "root" and sections[0].parent_id is None
    assert (sections[0].start, sections[0].end) == (0, len(text))
    assert [s.section_id for s in sections] == list(range(len(sections)))
    for s in sections:
        assert 0 <= s.start <= s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.role in PARTS + ("preamble",)
        assert s.source in ("heading", "inline", "root")
        assert s.kind in ("heading", "enumeration", "paragraph", "root")
        if s.section_id:
            parent = by_id[s.parent_id]
            assert parent.section_id < s.section_id
            assert parent.start <= s.start and s.end <= parent.end
            assert s.depth > parent.depth
            assert s.text.startswith(s.marker)
    # siblings do not overlap and come in document order
    kids: dict[int, list[Section]] = {}
    for s in sections[1:]:
        kids.setdefault(s.parent_id, []).append(s)
    for group in kids.values():
        for a, b in zip(group, group[1:]):
            assert a.end <= b.start


# ------------------------------------------------------------------------------------------
# offsets and tree invariants on every seed and fixture


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_offsets_and_tree(prefix):
    text = _seed_text(prefix)
    sections = parse_sections(text, report_year=_year(text))
    assert len(sections) > 5
    _check_tree(text, sections)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_offsets_and_tree(name):
    text = _fixture_text(name)
    _check_tree(text, parse_sections(text, report_year=_year(text)))


def test_fixtures_cover_the_shapes():
    assert len(FIXTURE_NAMES) >= 5


# ------------------------------------------------------------------------------------------
# headings


def test_heading_depths_and_markers_tianzhen():
    text = _seed_text("001")
    sections, by_id = _parsed(text)
    headings = [s for s in sections if s.kind == "heading"]
    depth_of = {"一、": 1, "(一)": 2, "1、": 3, "(1)": 4}
    for s in headings:
        shape = re.sub(r"[一二三四五六七八九十]+", "一", s.marker)
        shape = re.sub(r"\d+", "1", shape)
        assert depth_of[shape] == s.depth
    tops = [s for s in headings if s.depth == 1]
    assert [s.heading for s in tops] == [
        "基本情况",
        "存在的突出问题及原因分析",
        "2020年度推进法治政府建设主要安排",
    ]
    # (1) under 1、 under (一) under 一、
    first_sub = next(s for s in headings if s.marker == "(1)")
    assert first_sub.heading == "加快简政放权,推进事项进驻大厅办理"
    chain = [first_sub]
    while chain[-1].parent_id:
        chain.append(by_id[chain[-1].parent_id])
    assert [c.marker for c in chain] == ["(1)", "1、", "(一)", "一、"]


def test_year_numbers_at_line_start_are_not_headings():
    text = _seed_text("001")
    sections = parse_sections(text, report_year=_year(text))
    line = "2019年,县行政执法机关全面推行行政执法公示制度"
    pos = text.index(line)
    assert all(s.start != pos for s in sections)
    # that paragraph belongs to (四), not to a section of its own
    assert section_at(sections, pos).marker == "(四)"


def test_same_line_heading_takes_first_sentence():
    text = _seed_text("003")
    sections = parse_sections(text, report_year=_year(text))
    first = next(s for s in sections if s.marker == "(一)")
    assert first.heading == "依法全面履行政府职能"
    assert first.text.startswith("(一)依法全面履行政府职能。加强权责清单动态管理")
    assert [s.marker for s in sections if s.depth == 2 and s.parent_id == 1][-1] == "(十一)"


def test_fullwidth_parenthesis_headings():
    text = _fixture_text("structure_five_parts.txt")
    sections = parse_sections(text, report_year=_year(text))
    subs = [s for s in sections if s.depth == 2 and s.kind == "heading"]
    assert [s.marker for s in subs] == ["（一）", "（二）", "（三）"]
    assert [s.heading for s in subs] == ["依法全面履行政府职能", "健全依法行政制度体系", "严格规范公正文明执法"]


def test_dot_numbering_and_decimal_lines():
    text = _fixture_text("structure_no_shortcomings.txt")
    sections = parse_sections(text, report_year=_year(text))
    dots = [s for s in sections if s.kind == "heading" and s.depth == 3]
    assert [s.marker for s in dots] == ["1.", "2.", "3.", "1.", "2."]
    assert [s.heading for s in dots[:3]] == ["强化组织领导", "规范行政执法", "深化普法宣传"]
    # "1.5万余名群众…" at a line start is a number, not item 1 of a new list
    pos = text.index("1.5万余名")
    assert all(s.start != pos for s in sections)
    assert section_at(sections, pos).marker == "3."


def test_decoys_in_halfwidth_report():
    text = _fixture_text("structure_halfwidth.txt")
    sections = parse_sections(text, report_year=_year(text))
    starts = {s.start for s in sections}
    # "(一)" inside a sentence, a year and a hotline number at line starts are not headings
    assert text.index("(一)项要求") not in starts
    assert text.index("2022年,镇综合行政执法") not in starts
    assert text.index("12345热线") not in starts
    subs = [s for s in sections if s.kind == "heading" and s.depth == 2]
    assert [s.marker for s in subs] == ["(一)", "(二)", "(三)", "(一)", "(二)"]


# ------------------------------------------------------------------------------------------
# inline enumerations


def test_yishi_inside_parenthesised_sections():
    text = _fixture_text("structure_halfwidth.txt")
    sections, by_id = _parsed(text)
    enums = [s for s in sections if s.kind == "enumeration" and s.role == "achievements"]
    parents = [by_id[s.parent_id] for s in enums]
    assert [(p.marker, s.marker) for p, s in zip(parents, enums)] == [
        ("(一)", "一是"),
        ("(一)", "二是"),
        ("(一)", "三是"),
        ("(二)", "一是"),
        ("(二)", "二是"),
    ]
    assert all(s.depth == p.depth + 1 for p, s in zip(parents, enums))
    assert enums[0].heading.startswith("深化“放管服”改革")
    # the item ends at its own sentence, not at the next paragraph
    assert enums[-1].text.endswith("参加培训3次。")


def test_shouxian_qici_enumeration():
    text = _fixture_text("structure_halfwidth.txt")
    sections = parse_sections(text, report_year=_year(text))
    plans = [s for s in sections if s.kind == "enumeration" and s.role == "plans"]
    assert [s.marker for s in plans] == ["首先", "其次", "最后"]
    assert plans[-1].text.endswith("推动矛盾纠纷就地化解。")


def test_enumerations_in_separate_paragraphs_tianzhen():
    text = _seed_text("001")
    sections, by_id = _parsed(text)
    container = next(s for s in sections if s.heading == "严格规范管理,各项工作运行有序良好")
    items = [s for s in sections if s.parent_id == container.section_id]
    assert [s.marker for s in items] == ["一是", "二是", "三是"]
    assert items[-1].text.endswith("节约率8.49%。")


def test_enumeration_is_not_found_inside_words():
    text = "标题\n一、主要举措和成效\n统一是前提,唯一是目标。\n"
    sections = parse_sections(text, report_year=_year(text))
    assert not [s for s in sections if s.kind == "enumeration"]


# ------------------------------------------------------------------------------------------
# roles and parts


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_parts(prefix):
    text = _seed_text(prefix)
    summary = part_summary(text, parse_sections(text, report_year=_year(text)))
    assert summary["has_achievements"] and summary["has_shortcomings"] and summary["has_plans"]
    assert summary["has_responsibility"] is (prefix == "003")
    assert summary["has_other"] is False
    expected = sum(summary[f"has_{p}"] for p in REQUIRED_PARTS) / 4
    assert summary["structure_score"] == pytest.approx(expected)
    for part in PARTS:
        assert (summary[f"chars_{part}"] > 0) is summary[f"has_{part}"]
        assert (summary[f"{part}_source"] is not None) is summary[f"has_{part}"]


def test_roles_from_headings_tianzhen_wuqing():
    for prefix, roles in {
        "001": ["achievements", "shortcomings", "plans"],
        "003": ["achievements", "shortcomings", "responsibility", "plans"],
        "004": ["achievements", "shortcomings", "plans"],
    }.items():
        text = _seed_text(prefix)
        sections = parse_sections(text, report_year=_year(text))
        tops = [s for s in _top_parts(sections) if s.kind == "heading"]
        assert [s.role for s in tops] == roles, prefix
        assert {s.source for s in tops} == {"heading"}
        summary = part_summary(text, sections)
        assert summary["shortcomings_source"] == summary["plans_source"] == "heading"


def test_sub_sections_inherit_roles():
    text = _seed_text("003")
    sections, by_id = _parsed(text)
    for s in sections:
        if s.depth >= 2 and s.kind != "paragraph":
            assert s.role == by_id[s.parent_id].role


def test_hailing_inline_shortcomings_and_plans():
    text = _seed_text("000")
    sections = parse_sections(text, report_year=_year(text))
    tops = _top_parts(sections)
    assert [s.marker for s in tops if s.kind == "heading"] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert all(s.role == "achievements" for s in tops if s.kind == "heading")
    inline = [s for s in tops if s.kind == "paragraph"]
    assert [(s.role, s.source) for s in inline] == [("shortcomings", "inline"), ("plans", "inline")]
    assert "还存在一些问题和不足" in inline[0].text
    assert inline[1].text.startswith("2022年,我区将")
    # the last achievements section stops before the closing paragraphs
    last = max((s for s in sections if s.role == "achievements"), key=lambda s: s.end)
    assert last.end <= inline[0].start
    summary = part_summary(text, sections)
    assert summary["shortcomings_source"] == summary["plans_source"] == "inline"
    assert summary["achievements_source"] == "heading"


def test_hailing_first_responsible_person_in_prose_is_not_a_part():
    text = _seed_text("000")
    assert "第一责任人职责" in text
    sections = parse_sections(text, report_year=_year(text))
    assert not [s for s in sections if s.role == "responsibility"]


def test_yichun_review_section_holds_shortcomings_and_plans():
    text = _seed_text("002")
    sections, by_id = _parsed(text)
    review = next(s for s in sections if s.marker == "三、")
    kids = [s for s in sections if s.parent_id == review.section_id]
    assert [(s.kind, s.role, s.source) for s in kids] == [
        ("paragraph", "shortcomings", "inline"),
        ("paragraph", "plans", "inline"),
    ]
    plan_items = [s for s in sections if s.parent_id == kids[1].section_id]
    assert [s.marker for s in plan_items] == ["一是", "二是", "三是", "四是"]
    assert all(s.role == "plans" for s in plan_items)
    summary = part_summary(text, sections)
    assert summary["shortcomings_source"] == summary["plans_source"] == "inline"
    # "一是坚决落实第一责任人职责" in part one is an achievement, not a responsibility part
    assert summary["has_responsibility"] is False


def test_wuqing_responsibility_section():
    text = _seed_text("003")
    sections = parse_sections(text, report_year=_year(text))
    resp = [s for s in sections if s.role == "responsibility"]
    assert len(resp) == 1 and resp[0].marker == "三、"
    assert resp[0].heading.startswith("2023年度党政主要负责人履行推进法治建设第一责任人职责")
    summary = part_summary(text, sections)
    assert summary["structure_score"] == 1.0
    assert summary["responsibility_source"] == "heading"


def test_five_parts_fixture():
    text = _fixture_text("structure_five_parts.txt")
    sections = parse_sections(text, report_year=_year(text))
    tops = _top_parts(sections)
    assert [s.role for s in tops] == list(PARTS)
    summary = part_summary(text, sections)
    assert all(summary[f"has_{p}"] for p in PARTS)
    assert summary["other_source"] == "heading"
    assert summary["structure_score"] == 1.0
    # the signature and date close the report; they are not part of 其他需要报告的情况
    assert tops[-1].text.endswith("无其他需要报告的事项。")
    assert summary["chars_other"] == len(re.sub(r"\s", "", tops[-1].text))


def test_mixed_heading_and_unnumbered_part_line():
    text = _fixture_text("structure_mixed.txt")
    sections, by_id = _parsed(text)
    part = next(s for s in sections if s.marker == "二、")
    assert part.role == "shortcomings"
    plans = [s for s in sections if s.kind == "paragraph" and s.role == "plans"]
    assert len(plans) == 1 and plans[0].parent_id == part.section_id
    assert plans[0].text.startswith("下一步，我区将")
    other = [s for s in _top_parts(sections) if s.role == "other"]
    assert len(other) == 1 and other[0].marker == "" and other[0].heading == "其他需要报告的情况"
    assert part_summary(text, sections)["has_other"]


def test_headless_report_parts_are_inline():
    text = _fixture_text("structure_headless.txt")
    sections = parse_sections(text, report_year=_year(text))
    tops = _top_parts(sections)
    assert [(s.role, s.kind, s.source) for s in tops] == [
        ("achievements", "paragraph", "inline"),
        ("shortcomings", "paragraph", "inline"),
        ("plans", "paragraph", "inline"),
    ]
    assert tops[0].text.startswith("街道党工委")
    summary = part_summary(text, sections)
    assert summary["structure_score"] == 0.75


def test_report_without_shortcomings():
    text = _fixture_text("structure_no_shortcomings.txt")
    sections = parse_sections(text, report_year=_year(text))
    summary = part_summary(text, sections)
    assert summary["has_shortcomings"] is False
    assert summary["chars_shortcomings"] == 0
    assert summary["shortcomings_source"] is None
    assert summary["has_responsibility"] is False  # 第一责任人职责 only in prose
    assert summary["structure_score"] == 0.5
    assert extract_shortcomings(text, sections) == []


def test_chars_add_up():
    for prefix in sorted(SEEDS):
        text = _seed_text(prefix)
        sections = parse_sections(text, report_year=_year(text))
        summary = part_summary(text, sections)
        total = sum(summary[f"chars_{p}"] for p in PARTS)
        assert 0 < total <= len(re.sub(r"\s", "", text))
        tops = [s for s in _top_parts(sections) if s.role == "achievements"]
        assert summary["chars_achievements"] == sum(len(re.sub(r"\s", "", s.text)) for s in tops)


def test_part_summary_parses_when_sections_are_omitted():
    text = _seed_text("004")
    assert part_summary(text) == part_summary(text, parse_sections(text, report_year=_year(text)))


# ------------------------------------------------------------------------------------------
# shortcomings


EXPECTED_SHORTCOMINGS = {
    "000": ["行政机关工作人员的法治思维", "政务公开工作", "监督问责制度"],
    "001": ["《纲要》实施", "落实法治责任", "重大决策程序"],
    "002": ["法治政府建设水平和依法行政不均衡", "落实法治建设第一责任人职责有待加强"],
    "003": ["法治政府建设工作整体推进不均衡", "推进法治化营商环境建设质效", "行政执法效果有待提升"],
    "004": ["重点领域矛盾纠纷情况依然严峻", "部分群众思想守旧"],
}


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_shortcomings(prefix):
    text = _seed_text(prefix)
    sections, by_id = _parsed(text)
    items = extract_shortcomings(text, sections)
    expected = EXPECTED_SHORTCOMINGS[prefix]
    assert len(items) == len(expected)
    assert [i.item for i in items] == list(range(1, len(expected) + 1))
    for item, start in zip(items, expected):
        assert item.text.startswith(start)
        assert text[item.start : item.end] == item.text
        assert by_id[item.section_id].role == "shortcomings"
        section = by_id[item.section_id]
        assert section.start <= item.start and item.end <= section.end
    sources = {i.source for i in items}
    assert sources == ({"inline"} if prefix in ("000", "002") else {"heading"})


def test_yichun_items_split_from_one_sentence():
    text = _seed_text("002")
    items = extract_shortcomings(text)
    assert [i.text for i in items] == ["法治政府建设水平和依法行政不均衡", "落实法治建设第一责任人职责有待加强"]
    assert items[0].section_id == items[1].section_id


def test_hailing_item_texts():
    text = _seed_text("000")
    items = extract_shortcomings(text)
    assert [i.text for i in items] == [
        "行政机关工作人员的法治思维和法律意识还需要进一步提高",
        "政务公开工作仍需进一步深化",
        "监督问责制度有待进一步完善",
    ]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("structure_five_parts.txt", ["部分领导干部运用法治思维", "基层执法力量薄弱", "行政复议和应诉工作"]),
        ("structure_halfwidth.txt", ["部分干部法治意识不强", "执法力量不足"]),
        ("structure_headless.txt", ["部分社区干部法律知识储备不足", "矛盾纠纷源头预防机制还不健全"]),
        ("structure_mixed.txt", ["法治宣传教育针对性不强", "行政执法监督机制不够完善", "基层法治力量薄弱"]),
        ("structure_no_shortcomings.txt", []),
    ],
)
def test_fixture_shortcomings(name, expected):
    text = _fixture_text(name)
    items = extract_shortcomings(text)
    assert len(items) == len(expected)
    for item, start in zip(items, expected):
        assert item.text.startswith(start)
        assert text[item.start : item.end] == item.text
    # the last item of "一是…；二是…；三是…。究其原因…" stops at its sentence
    if name == "structure_five_parts.txt":
        assert items[-1].text == "行政复议和应诉工作与群众期待还有差距"


def test_shortcomings_reason_subsection_is_not_an_item():
    text = (
        "某县2022年法治政府建设情况报告\n"
        "一、主要举措和成效\n全年办理行政复议案件12件。\n"
        "二、存在的不足和原因\n"
        "（一）存在的问题\n1、执法人员不足。\n2、普法形式单一。\n"
        "（二）原因分析\n基层法治工作经费保障不足。\n"
        "三、下一年度推进法治政府建设的主要安排\n加强执法队伍建设。\n"
    )
    items = extract_shortcomings(text)
    assert [i.text for i in items] == ["执法人员不足", "普法形式单一"]


# ------------------------------------------------------------------------------------------
# section_at, outline


def test_section_at_returns_deepest():
    text = _seed_text("000")
    sections = parse_sections(text, report_year=_year(text))
    pos = text.index("二是政务公开工作")
    hit = section_at(sections, pos)
    assert hit.marker == "二是" and hit.role == "shortcomings"
    assert section_at(sections, 0).section_id == 0
    assert section_at(sections, len(text)).section_id == 0
    with pytest.raises(ValueError, match="offset"):
        section_at(sections, len(text) + 1)
    with pytest.raises(ValueError, match="sections"):
        section_at([], 0)


def test_outline_text_and_html():
    text = _seed_text("003")
    sections = parse_sections(text, report_year=_year(text))
    lines = outline(sections).splitlines()
    assert len(lines) == len(sections)
    assert lines[1].startswith("  一、2023年度推进法治政府建设的主要举措和成效")
    assert "[responsibility/heading]" in next(line for line in lines if "三、" in line)
    page = outline_html(sections)
    assert page.startswith("<table") and page.count("<tr>") == len(sections) + 1


def test_outline_html_escapes():
    text = "标题\n一、主要举措和成效<script>alert(1)</script>\n正文。\n"
    page = outline_html(parse_sections(text, report_year=_year(text)))
    assert "<script>" not in page and "&lt;script&gt;" in page


# ------------------------------------------------------------------------------------------
# patterns file, robustness, speed


def test_patterns_file_rows_compile_and_match_their_examples():
    rows = structure.tree._read_pattern_rows()
    assert {role for role, scope, _ in rows if scope == "heading"} == set(PARTS)
    for _, _, pattern in rows:
        re.compile(pattern.replace("{next_year}", "2022"))
    for heading, role in [
        ("2023年度推进法治政府建设的主要举措和成效", "achievements"),
        ("基本情况", "achievements"),
        ("存在的突出问题及原因分析", "shortcomings"),
        ("党政主要负责人履行推进法治建设第一责任人职责情况", "responsibility"),
        ("下一年度推进法治政府建设的主要安排", "plans"),
        ("2020年度推进法治政府建设主要安排", "plans"),
        ("其他需要报告的情况", "other"),
        ("主要成效和存在的不足", "achievements"),
        ("坚持高位推动,切实履行法治政府建设职责", None),
    ]:
        found = structure.tree._heading_roles(heading)
        assert (found[0] if found else None) == role, heading


def test_non_string_input_is_rejected():
    with pytest.raises(TypeError, match="text"):
        parse_sections(b"bytes")  # type: ignore[arg-type]


_ALPHABET = st.sampled_from(
    list("一二三四五六七八九十是首先其次最后第、，,。.．:：;；()（）①②123 \n\u3000\u2002")
    + ["存在", "问题", "不足", "下一步", "将", "2022年", "我区", "主要安排", "其他需要报告的情况"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join) | st.text(max_size=200))
def test_arbitrary_text_never_raises(text):
    sections = parse_sections(text)
    _check_tree(text, sections)
    part_summary(text, sections)
    for item in extract_shortcomings(text, sections):
        assert text[item.start : item.end] == item.text
    outline(sections)
    outline_html(sections)
    for offset in {0, len(text) // 2, len(text)}:
        section_at(sections, offset)


def test_parsing_is_fast():
    import time

    text = _seed_text("001")
    parse_sections(text, report_year=_year(text))
    started = time.perf_counter()
    for _ in range(10):
        part_summary(text, parse_sections(text, report_year=_year(text)))
    assert (time.perf_counter() - started) / 10 < 0.05
