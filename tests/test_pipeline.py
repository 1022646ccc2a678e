"""The per-report pipeline: stages in order, each fact decided once, failures named, nothing swallowed."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

import lawreports
from lawreports import clean, reader, resource_files, rows, schema, structure, vocab
from lawreports.rows import cache_key

from conftest import seed_path

PACKAGE = Path(lawreports.__file__).parent

# A 2022 report that quotes 2021 as often as it names 2022: the year is the metadata's (the
# title's 2022), so "2022年,我区…" is work done and only "2023年,我区将…" opens the plans.
YEAR_QUOTED = """某某区2022年度法治政府建设情况报告
我区深入推进依法行政。对照2021年度考核、2021年督察和2021年评估反馈的问题逐项整改。
2022年,我区继续全面落实行政执法三项制度,办理行政复议案件12件。
但还存在一些问题和不足:一是执法人员能力不足;二是普法宣传不够深入。
2023年,我区将持续推进严格规范公正文明执法。
"""

CLOSING_DATE = """某某县2023年度法治政府建设情况报告
一、主要举措和成效
全年办理行政复议案件12件。
二、存在的不足
执法队伍能力有待提升。
三、下一步工作打算
持续推进严格规范公正文明执法。
某某县人民政府
2024-03-30
"""


def _role_of(report: lawreports.Report, needle: str) -> str:
    at = report.text.index(needle)
    return structure.section_at(report.sections, at).role


def test_structure_receives_the_year_metadata_decided():
    report = lawreports.read_report(text=YEAR_QUOTED)
    assert report.meta.report_year == 2022
    assert _role_of(report, "2022年,我区继续全面落实") != "plans"
    assert _role_of(report, "2023年,我区将") == "plans"


def test_one_rule_for_where_the_body_ends_and_a_dashed_date_is_not_in_the_plans():
    report = lawreports.read_report(text=CLOSING_DATE)
    assert report.text[report.body_end:].split() == ["某某县人民政府", "2024-03-30"]
    plans = [s for s in report.sections if s.role == "plans"]
    assert plans and all("2024-03-30" not in s.text and "人民政府" not in s.text for s in plans)
    assert all(s.end <= report.body_end for s in report.sections[1:])
    assert report.meta.signed.isoformat() == "2024-03-30"
    # structure's default is the same rule, owned by clean
    assert structure.parse_sections(report.text)[-1].end == clean.report_end(report.text)


def test_read_report_runs_every_stage_eagerly():
    report = lawreports.read_report(seed_path("001"))
    assert report.sections and report.part_spans and report.shortcomings and report.indicators
    assert report.parts["has_shortcomings"] is True and report.errors == []
    assert vocab.STAGES == ("read", "decode", "html", "clean", "metadata", "structure", "indicators", "worker")


def _boom(*args, **kwargs):
    raise RuntimeError("boom")


@pytest.mark.parametrize("stage, target", [("indicators", "extract_indicators"),
                                           ("indicators", "check_indicators"),
                                           ("structure", "parse_sections")])
def test_a_failing_stage_is_an_errors_row_naming_it_and_the_report_is_kept(monkeypatch, tmp_path, stage, target):
    monkeypatch.setattr(reader, target, _boom)
    shutil.copy(seed_path("002"), tmp_path)
    corpus = lawreports.load_corpus(tmp_path)
    assert len(corpus) == 1
    row = corpus.errors.iloc[0]
    assert (row["stage"], row["error"]) == (stage, "parse_error")
    assert "RuntimeError: boom" in row["message"] and row["path"].endswith(seed_path("002").name)
    assert set(corpus.errors["stage"]) <= set(vocab.STAGES)
    with pytest.raises(lawreports.errors.ParseError, match=rf"\[{stage}\] RuntimeError: boom"):
        lawreports.load_corpus(tmp_path, strict=True)
    with pytest.raises(lawreports.errors.ParseError):
        lawreports.read_report(seed_path("002"))       # strict by default for one report


def test_stage_names_are_the_documented_ones():
    with pytest.raises(ValueError, match="stage"):
        lawreports.ReportError("x.txt", "structure (parts)", "a stage name that is not documented")


def test_cache_key_covers_code_and_every_resource(tmp_path):
    copy = tmp_path / "lawreports"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "bundled"))
    before = resource_files.fingerprint_of(copy)
    assert before == resource_files.fingerprint_of(copy)
    (copy / "resources" / "indicators.csv").write_text(
        (copy / "resources" / "indicators.csv").read_text("utf-8") + "\n", "utf-8")
    after_resource = resource_files.fingerprint_of(copy)
    (copy / "indicators.py").write_text((copy / "indicators.py").read_text("utf-8") + "\n", "utf-8")
    assert len({before, after_resource, resource_files.fingerprint_of(copy)}) == 3
    assert resource_files.fingerprint() == resource_files.fingerprint_of(PACKAGE)


def test_cache_key_changes_with_the_package(monkeypatch):
    data = seed_path("000").read_bytes()
    key = cache_key(data)
    resource_files.fingerprint.cache_clear()
    rows.environment.cache_clear()                   # both are computed once per process
    monkeypatch.setattr(resource_files, "fingerprint_of", lambda root=None: "edited")
    try:
        assert cache_key(data) != key
    finally:
        resource_files.fingerprint.cache_clear()
        rows.environment.cache_clear()


def test_documents_are_rebuilt_from_the_tables_without_the_files(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for prefix in ("001", "003"):
        shutil.copy(seed_path(prefix), src)
    corpus = lawreports.load_corpus(src)
    corpus.save(tmp_path / "saved")
    fresh = {rid: lawreports.read_report(src / f"{rid}.txt") for rid in corpus.reports["report_id"]}
    shutil.rmtree(src)                                        # the source files are gone
    loaded = lawreports.Corpus.load(tmp_path / "saved")
    for rid, report in fresh.items():
        doc = loaded.documents[rid]
        assert doc.text == report.text
        assert doc.meta.as_dict() == report.meta.as_dict()
        assert doc.provenance() == report.provenance()
        assert doc.sections == report.sections
        assert doc.shortcomings == report.shortcomings and doc.indicators == report.indicators
        assert doc.checks == report.checks and doc.blanks == report.blanks
        assert doc.parts == report.parts and doc.part_spans == report.part_spans
        assert doc.outline() == report.outline()


def test_sections_are_stored_by_offsets_and_sliced_from_texts():
    corpus = lawreports.load_corpus()
    assert "text" not in corpus._tables["sections"].columns
    texts = dict(zip(corpus.texts["report_id"], corpus.texts["text"]))
    for row in corpus.sections.itertuples():
        assert row.text == texts[row.report_id][row.start:row.end]
    assert len(corpus.parts) and set(corpus.parts["part"]) <= set(vocab.ROLES)
    for row in corpus.part_text("shortcomings").itertuples():
        assert row.text == texts[row.report_id][row.start:row.end]


def _module_sources() -> dict[str, str]:
    return {str(p.relative_to(PACKAGE)): p.read_text("utf-8") for p in PACKAGE.rglob("*.py")}


def test_one_vocabulary():
    assert structure.PARTS is vocab.PARTS and schema.PARTS is vocab.PARTS
    for name, source in _module_sources().items():
        if name == "vocab.py":
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                words = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                assert not {"achievements", "shortcomings", "plans"} <= words, f"{name}: parts listed again"
                assert not {"district", "county_city", "subdistrict"} <= words, f"{name}: division types listed again"


def test_one_resource_loader():
    for name, source in _module_sources().items():
        if name == "resource_files.py":
            continue
        assert 'files("lawreports") / "resources"' not in source, f"{name} reads resources itself"
