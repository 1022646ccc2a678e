"""index.html: one portable file with its own font, escaped values, readable tables, outline links."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import lawreports
from lawreports import website


@pytest.fixture(scope="module")
def page(tmp_path_factory, corpus):
    out = tmp_path_factory.mktemp("page")
    return website.write_index(corpus, out).read_text("utf-8")


def test_the_page_embeds_a_cjk_font_subset(page):
    face = re.search(r"@font-face \{[^}]*font-family: \"([^\"]+)\"[^}]*src: url\(data:font/(woff2|otf);base64,([A-Za-z0-9+/=]+)\)",
                     page)
    assert face, "no embedded @font-face"
    assert face.group(1) == website.FONT_FAMILY
    assert 1_000 < len(face.group(3)) < 1_500_000           # a subset, not the 16 MB font
    assert f'font-family: "{website.FONT_FAMILY}"' in page
    assert "src='http" not in page and 'src="http' not in page  # nothing fetched from the web


def test_the_subset_has_every_character_of_the_page(corpus):
    fontTools = pytest.importorskip("fontTools")  # noqa: F841
    import base64
    import io

    from fontTools.ttLib import TTFont

    text = "法治政府建设年度报告 海陵试验区 天镇县 123%"
    css = website.embedded_font_css(text)
    data = base64.b64decode(re.search(r"base64,([^)]+)\)", css).group(1))
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert all(ord(ch) in cmap for ch in text if not ch.isspace())


def test_missing_values_are_blank_and_numbers_and_dates_formatted(page):
    body = page.split("<body>", 1)[1]
    assert "<NA>" not in body and "&lt;NA&gt;" not in body and ">nan<" not in body and ">NaT<" not in body
    assert "00:00:00" not in body
    assert "2020-03-31" in body
    assert ">2019.0<" not in body and ">2019<" in body
    assert "<td class='n'>0.75</td>" in body


def test_tables_scroll_inside_their_box(page):
    assert "<div class='box'><table class='t'>" in page
    assert ".box { max-width: 100%;" in page and "overflow: auto" in page


def test_each_report_row_links_to_its_outline(page, corpus):
    anchors = re.findall(r"<a href='#(outline-\d+)'>outline</a>", page)
    assert len(anchors) == len(corpus.reports)
    for anchor in anchors:
        assert f"<section id='{anchor}' class='report'>" in page
    assert "存在的问题" in page or "shortcomings" in page.split("id='outline-0'", 1)[1]


def test_everything_written_into_the_page_is_escaped(tmp_path, corpus):
    tables = {name: frame.copy() for name, frame in corpus.to_pandas()._tables.items()}
    tables["reports"].loc[0, "title"] = "<script>alert(1)</script>"
    tables["reports"].loc[0, "jurisdiction"] = "天镇县<b onmouseover=x>"
    tables["shortcomings"].loc[0, "text"] = "</td></tr></table><script>alert(2)</script>"
    hostile = lawreports.Corpus(tables)
    page = website.write_index(hostile, tmp_path, embed_font=False,
                               failed_figures={"<x>.png": "<script>alert(3)</script>"}).read_text("utf-8")
    assert "<script>" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;" in page


def test_without_the_font_the_page_falls_back_to_installed_fonts(tmp_path, corpus):
    page = website.write_index(corpus, tmp_path, embed_font=False).read_text("utf-8")
    assert "@font-face" not in page and "Noto Sans CJK SC" in page


@pytest.mark.parametrize("value, shown", [(None, ""), (pd.NA, ""), (float("nan"), ""), (pd.NaT, ""),
                                          (pd.Timestamp("2020-03-31"), "2020-03-31"), (0.75, "0.75"),
                                          (2019.0, "2019"), (98.123, "98.12"), (20000, "20,000"), (True, "✓")])
def test_cells(value, shown):
    assert website._cell(value) == shown
