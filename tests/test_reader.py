"""Reading one page: decoding, HTML, normalisation and chrome stripping."""

from __future__ import annotations

import pytest

import lawreports
from lawreports.clean import normalize_text, strip_chrome
from lawreports.decode import decode_bytes
from lawreports.errors import DecodeError, EmptyReportError, UnsupportedFormatError

from conftest import SEEDS, seed_path


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_clean_text_starts_at_title_and_keeps_no_chrome(prefix, seeds):
    report = seeds[prefix]
    assert report.text.split("\n")[0] == report.title
    for chrome in ("分享到", "打印 关闭", "打印页面", "Copyright", "ICP", "欢迎访问", "阅读次数", "发布时间", "当前位置"):
        assert chrome not in report.text, chrome


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_nothing_is_lost_without_a_trace(prefix, seeds):
    """Every non-blank line of the page is either in the clean text or listed as stripped."""
    report = seeds[prefix]
    kept = set(report.text.split("\n"))
    stripped = {s.text for s in report.stripped}
    for line in report.page_text.split("\n"):
        if line:
            assert line in kept or line in stripped, line


def test_stripped_lines_say_where_and_why(seeds):
    report = seeds["002"]
    where = {s.text: (s.where, s.reason) for s in report.stripped}
    assert where["发布时间:2023-03-14 12:59来源:伊春市司法局访问量:"][0] == "head"
    assert where["扫一扫在手机打开当前页"][0] == "tail"
    assert where["扫一扫在手机打开当前页"][1].startswith("chrome:")
    footer = seeds["000"].stripped[-1]
    assert footer.where == "tail" and "ICP" in footer.text


def test_signature_and_date_are_kept(seeds):
    assert seeds["001"].text.endswith("天镇县人民政府\n\n2020年3月30日")


def test_normalize_fullwidth_and_newlines():
    assert normalize_text("调解成功率达９５．５％\r\n\r\n\r\n第二行\r第三行　") == "调解成功率达95.5%\n\n第二行\n第三行"
    # Chinese punctuation is kept as written
    assert normalize_text("一是，二是；（一）：") == "一是，二是；（一）："


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "big5"])
def test_decode_common_chinese_encodings(encoding):
    text = seed_path("001").read_text("utf-8").replace("\xa0", " ")  # GBK has no no-break space
    if encoding == "big5":
        text = "伊春市人民政府關於法治政府建設情況的報告。" * 20
    data = text.encode(encoding)
    decoded, used, warnings = decode_bytes(data)
    assert decoded == text
    assert warnings == []


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_other_encodings_parse_like_utf8(encoding, seeds):
    data = seed_path("001").read_text("utf-8").encode(encoding)
    report = lawreports.read_report(data)
    assert report.text == seeds["001"].text
    assert report.meta.as_dict() == seeds["001"].meta.as_dict()


def test_decode_refuses_binary_and_formats():
    with pytest.raises(UnsupportedFormatError, match="PDF"):
        decode_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    with pytest.raises(DecodeError):
        decode_bytes(bytes(range(256)) * 8)
    with pytest.raises(EmptyReportError):
        decode_bytes(b" \n\t ")


def test_truncated_utf8_is_decoded_with_a_warning():
    data = "法治政府建设情况的报告".encode("utf-8")[:-1]
    text, encoding, warnings = decode_bytes(data)
    assert text == "法治政府建设情况的报"
    assert warnings == ["truncated_utf8"]


def test_html_page_drops_scripts_styles_navigation():
    html = """<!DOCTYPE html><html><head><meta charset="gbk"><meta name="PubDate" content="2023-03-14 12:59">
    <title>伊春市政府网</title><style>.x{color:red}</style><script>var clock='2026-11-22';</script></head>
    <body><nav><a href="/">首页</a> | <a>政务公开</a></nav>
    <div class="title">伊春市人民政府关于2022年度法治政府建设情况的报告</div>
    <div class="content"><p>2022年,伊春市坚持以习近平法治思想为指导,法治政府建设各项工作取得新进展、新成效。现将有关情况报告如下:</p>
    <p>一、主要举措和成效</p><p>全市共调解纠纷4812件,调解成功4744件,调解成功率98.6&#37;。</p></div>
    <div class="footer">版权所有:伊春市人民政府 &copy; 黑ICP备05000000号</div></body></html>"""
    report = lawreports.read_report(html.encode("utf-8"))
    assert report.format == "html"
    assert "var clock" not in report.page_text and "color:red" not in report.page_text
    assert "首页" not in report.page_text
    assert "调解成功率98.6%" in report.text
    assert report.meta.published.isoformat() == "2023-03-14"
    assert report.meta.evidence["published"].rule == "<meta> PubDate"
    assert "版权所有" not in report.text


def test_read_report_accepts_path_bytes_and_str(seeds):
    path = seed_path("003")
    by_str_text = lawreports.read_report(text=path.read_text("utf-8"))
    by_bytes = lawreports.read_report(path.read_bytes())
    by_path_str = lawreports.read_report(str(path))
    assert by_str_text.text == by_bytes.text == by_path_str.text == seeds["003"].text
    assert by_path_str.report_id == path.stem
    assert by_bytes.report_id == by_bytes.sha256[:16]


def test_a_str_is_a_path_and_a_missing_file_is_an_error_naming_it(tmp_path):
    missing = tmp_path / "typo.txt"
    with pytest.raises(lawreports.errors.FileNotFound, match="typo.txt.*no such file"):
        lawreports.read_report(str(missing))
    with pytest.raises(lawreports.errors.FileNotFound, match=r"text=\.\.\."):
        lawreports.read_report("关于2023年度法治政府建设情况的报告\n" * 200)   # text given as a path
    with pytest.raises(TypeError, match="exactly one"):
        lawreports.read_report(seed_path("003"), text="x")


def test_read_report_same_bytes_same_result():
    data = seed_path("000").read_bytes()
    a, b = lawreports.read_report(data), lawreports.read_report(data)
    assert a.text == b.text and a.meta == b.meta and a.stripped == b.stripped


def test_strip_chrome_without_chrome_keeps_everything():
    text = "关于2021年度法治政府建设情况的报告\n\n2021年,我县深入推进依法行政,法治政府建设取得新成效。现将有关情况报告如下:\n一、主要举措"
    cleaned = strip_chrome(normalize_text(text))
    assert cleaned.text == normalize_text(text)
    assert cleaned.stripped == []
