"""Messy and hostile input: nothing crashes, nothing is lost, every failure says why.

Each case is generated from the seed reports, so the expected result is the seed's own.
"""

from __future__ import annotations

import ast
import re
import os
import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lawreports
from lawreports.errors import ReportError

from conftest import SEEDS, seed_path

ROOT = Path(__file__).resolve().parents[1]
_FW = str.maketrans("0123456789%", "０１２３４５６７８９％")


def _seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text("utf-8")


def _gbk_safe(text: str) -> str:
    """GBK has no no-break or en spaces: make them ASCII spaces (normalisation folds them anyway)."""
    return re.sub(r"[^\S\n]", " ", text)


def _as_html(text: str, *, charset: str = "utf-8") -> str:
    body = "".join(f"<p>{line.replace('&', '&amp;').replace('<', '&lt;')}</p>" for line in text.split("\n"))
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>政府门户网站</title>
<style>body {{ font-size: 14px }} .nav {{ color: #333 }}</style>
<script type="text/javascript">document.write("今天是2026年11月22日 星期日"); var pv = 10110;</script>
</head><body>
<div class="header"><nav class="nav"><a href="/">首页</a> <a href="/hdjl">互动交流</a> <a href="/fzzf">法治政府</a></nav></div>
<div class="article">{body}</div>
<script src="http://example.invalid/stat.js"></script>
<img src="http://example.invalid/logo.png">
</body></html>"""


# -- encodings, byte-order marks, newlines, full-width characters -----------------------------

@pytest.mark.parametrize("prefix", sorted(SEEDS))
@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_encoded_copies_parse_like_the_original(prefix, encoding, seeds):
    text = _gbk_safe(_seed_text(prefix))
    # GBK has no © either (海陵's footer): it becomes "?" there, in the stripped chrome only
    report = lawreports.read_report(text.encode(encoding, errors="replace"))
    original = seeds[prefix]
    assert report.text == original.text
    assert report.meta.as_dict() == original.meta.as_dict()
    assert [(i.indicator, i.value, i.start) for i in report.indicators] == \
           [(i.indicator, i.value, i.start) for i in original.indicators]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_lone_cr(newline, seeds):
    data = _seed_text("001").replace("\n", newline).encode("utf-8")
    report = lawreports.read_report(data)
    assert report.text == seeds["001"].text
    assert [s.heading for s in report.sections] == [s.heading for s in seeds["001"].sections]


def test_fullwidth_digits_and_percent_signs(seeds):
    report = lawreports.read_report(_seed_text("003").translate(_FW).encode("utf-8"))
    assert report.text == seeds["003"].text
    rates = [(i.indicator, i.value) for i in report.indicators if i.kind == "rate"]
    assert rates == [(i.indicator, i.value) for i in seeds["003"].indicators if i.kind == "rate"]


# -- HTML --------------------------------------------------------------------------------------

def test_html_with_scripts_styles_navigation_entities(seeds):
    page = _as_html(_seed_text("000"))
    report = lawreports.read_report(page.encode("utf-8"))
    assert report.format == "html"
    assert report.text == seeds["000"].text
    for leftover in ("document.write", "font-size", "互动交流", "var pv"):
        assert leftover not in report.page_text
    assert report.meta.as_dict() == seeds["000"].meta.as_dict()


def test_misleading_meta_charset(seeds):
    """The page says gb2312 but its bytes are UTF-8: the bytes win."""
    page = _as_html(_seed_text("002"), charset="gb2312")
    report = lawreports.read_report(page.encode("utf-8"))
    assert report.encoding == "utf-8"
    assert report.text == seeds["002"].text


def test_gbk_html_file_with_its_own_meta(tmp_path, seeds):
    path = tmp_path / "page.html"
    path.write_bytes(_as_html(_gbk_safe(_seed_text("004")), charset="gbk").encode("gbk"))
    report = lawreports.read_report(path)
    assert report.encoding == "gb18030"
    assert report.text == seeds["004"].text


def test_parsing_html_fetches_nothing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access while parsing")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    report = lawreports.read_report(_as_html(_seed_text("003")).encode("utf-8"))
    assert report.meta.jurisdiction == "武清区"


def test_the_package_never_evaluates_or_unpickles_input():
    """No eval/exec, no pickle, no shell in the library's code."""
    banned_calls = {"eval", "exec", "compile", "__import__"}
    banned_modules = {"pickle", "marshal", "shelve", "subprocess", "dill"}
    for path in (ROOT / "lawreports").rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in banned_calls, f"{path.name}: {node.func.id}()"
            if isinstance(node, ast.Import):
                assert not {a.name.split(".")[0] for a in node.names} & banned_modules, path.name
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in banned_modules, path.name


# -- files that are not reports, or not text ---------------------------------------------------

def _write_bad_files(folder: Path) -> dict[str, str]:
    """Write every bad case; returns file name → expected error type."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "whitespace.txt").write_bytes(b" \n\t\r\n  \xe3\x80\x80\n")
    (folder / "random.bin").write_bytes(bytes((i * 7919 + 13) % 256 for i in range(6000)))
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    (folder / "report.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200 + b"word/document.xml")
    (folder / "only_markup.html").write_bytes(b"<html><head><script>var a=1;</script></head><body> </body></html>")
    return {"empty.txt": "empty", "whitespace.txt": "empty", "random.bin": "decode_error",
            "report.pdf": "unsupported_format", "report.docx": "unsupported_format",
            "only_markup.html": "empty"}


def test_every_bad_file_is_an_error_with_a_reason(tmp_path):
    expected = _write_bad_files(tmp_path)
    corpus = lawreports.load_corpus(sorted(tmp_path.iterdir()))     # files named one by one are all read
    assert len(corpus) == 0
    got = {Path(p).name: e for p, e in zip(corpus.errors["path"], corpus.errors["error"])}
    assert got == expected
    assert corpus.errors["message"].str.len().min() > 20
    pdf = corpus.errors[corpus.errors["error"] == "unsupported_format"]["message"].iloc[0]
    assert "unsupported format" in pdf and ".txt or .html" in pdf


def test_truncated_multibyte_sequence_keeps_the_text(seeds):
    data = _seed_text("002").encode("utf-8")
    cut = data[: data.rindex("。".encode()) + 2]        # stop inside the next character
    report = lawreports.read_report(cut)
    assert "truncated_utf8" in report.warnings
    assert report.meta.jurisdiction == "伊春市"


def test_fifty_megabyte_file_is_refused_quickly(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)       # sparse: costs no disk
    corpus = lawreports.load_corpus(big)
    err = corpus.errors.iloc[0]
    assert err["error"] == "too_large" and "50" in err["message"] and "max_bytes" in err["message"]


def test_news_page_is_flagged_not_a_report():
    news = ("首页 > 新闻中心 > 工作动态\n全市法治政府建设推进会召开\n发布时间:2023-03-05\n"
            "3月3日,市政府召开全市法治政府建设推进会,市长出席会议并讲话。会议通报了2022年度全市依法行政考核结果,"
            "对下一阶段重点任务进行了部署。会议强调,各地各部门要提高政治站位,确保各项任务落到实处。\n分享到:")
    report = lawreports.read_report(text=news)
    assert "not_a_report" in report.warnings
    assert report.meta.published.isoformat() == "2023-03-05"


def test_seeds_are_reports(seeds):
    for report in seeds.values():
        assert "not_a_report" not in report.warnings


def test_report_with_no_year_anywhere():
    text = ("关于法治政府建设情况的报告\n"
            "今年以来,我县坚持以习近平法治思想为指导,全面推进依法行政,法治政府建设取得新成效。现将有关情况报告如下:\n"
            "一、主要举措和成效\n全县行政复议案件办结率100%。\n二、存在的不足\n执法队伍能力有待提升。\n"
            "三、下一步工作打算\n持续推进严格规范公正文明执法。")
    report = lawreports.read_report(text=text)
    assert report.meta.report_year is None
    assert "no_year" in report.meta.warnings


def test_messy_corpus_keeps_the_seeds_and_accounts_for_every_bad_file(tmp_path, seeds):
    for prefix in SEEDS:
        (tmp_path / seed_path(prefix).name).write_bytes(seed_path(prefix).read_bytes())
    bad = _write_bad_files(tmp_path)
    (tmp_path / "gbk_copy_of_001.txt").write_bytes(_gbk_safe(_seed_text("001")).encode("gbk"))
    (tmp_path / "utf16_copy_of_003.txt").write_bytes(_seed_text("003").encode("utf-16"))
    (tmp_path / "page_000.html").write_bytes(_as_html(_seed_text("000"), charset="gb2312").encode("utf-8"))
    (tmp_path / "news.txt").write_text("市政府召开常务会议\n会议研究了春耕生产等工作。会议要求各部门抓好落实。", "utf-8")
    corpus = lawreports.load_corpus(tmp_path)
    reports = corpus.reports.set_index("report_id")
    for prefix, report in seeds.items():
        row = reports.loc[seed_path(prefix).stem]
        assert row["jurisdiction"] == report.meta.jurisdiction
        assert row["report_year"] == report.meta.report_year
    assert reports.loc["gbk_copy_of_001", "duplicate_of"] == seed_path("001").stem
    assert reports.loc["utf16_copy_of_003", "duplicate_of"] == seed_path("003").stem
    assert reports.loc["page_000", "duplicate_of"] == seed_path("000").stem
    assert "not_a_report" in reports.loc["news", "warnings"]
    failed = {Path(p).name for p in corpus.errors["path"]}
    skipped = {Path(p).name for p in corpus.skipped["path"]}
    # a folder is read for its report pages: the PDF, the Word file and the .bin are skipped, and say so
    assert skipped == {"random.bin", "report.pdf", "report.docx"}
    assert corpus.skipped["reason"].str.contains("not a report page").all()
    assert failed == set(bad) - skipped
    n_files = len([p for p in tmp_path.iterdir() if p.is_file()])
    assert len(corpus) + len(failed) + len(skipped) == n_files   # every file: a report, an error or skipped


# -- properties ---------------------------------------------------------------------------------

_genre = st.text(alphabet=st.sampled_from(list("一二三四五六七八九十、()(（）)1234567890.%％年月日件项次率达为是存在问题不足下步法治政府建设报告县市区镇,。;:\n ")),
                 max_size=400)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), _genre))
def test_read_report_on_arbitrary_text_never_crashes(text):
    try:
        report = lawreports.read_report(text or " ")
    except ReportError:
        return
    clean = report.text
    for s in report.sections:
        assert 0 <= s.start <= s.end <= len(clean) and clean[s.start:s.end] == s.text
    for ind in report.indicators:
        assert 0 <= ind.start < ind.end <= len(clean)
    assert lawreports.read_report(text or " ").text == clean


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_read_report_on_arbitrary_bytes_raises_only_report_errors(data):
    try:
        first = lawreports.read_report(data)
    except ReportError as exc:
        assert exc.stage and exc.message
        return
    second = lawreports.read_report(data)
    assert first.text == second.text and first.meta == second.meta
