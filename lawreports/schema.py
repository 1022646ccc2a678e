"""The tidy tables: their columns, types and meaning.

One source of truth for the column order of every table :class:`lawreports.Corpus` returns, for
the empty tables of an empty corpus, and for the data dictionary that ``lawreports build`` writes
beside the tables (:func:`data_dictionary`).

Types: ``str`` (text, may be missing), ``int``/``float`` (nullable), ``bool``, ``date``.
"""

from __future__ import annotations

import pandas as pd

from .vocab import PARTS

__all__ = ["TABLES", "DERIVED_TABLES", "DATASET_ONLY", "TABLE_DESCRIPTIONS", "PRIMARY_KEYS", "DERIVED", "PART_COLUMNS",
           "columns", "stored_columns", "empty_frame", "data_dictionary", "coerce"]

_PART_COLUMNS = (
    [(f"has_{p}", "bool", f"the report has a {p} part (a heading or an inline paragraph)") for p in PARTS]
    + [(f"chars_{p}", "int", f"characters in the {p} part (0 when absent)") for p in PARTS]
    + [(f"{p}_source", "str", f"how the {p} part was found: heading or inline") for p in PARTS]
    + [("structure_score", "float",
        "share of the four required parts present (achievements, shortcomings, responsibility, plans)")]
)

#: The columns of ``reports`` that :func:`lawreports.structure.part_summary` fills.
PART_COLUMNS = tuple(c for c, _, _ in _PART_COLUMNS)

TABLES: dict[str, list[tuple[str, str, str]]] = {
    "reports": [
        ("report_id", "str", "identifier: the file name without extension"),
        ("path", "str", "the file read"),
        ("url", "str", "the page's web address, where given (load_corpus(urls=...)); its host is evidence of the place"),
        ("sha256", "str", "SHA-256 of the file's bytes"),
        ("text_sha256", "str", "SHA-256 of the clean report text (same report, other encoding or page)"),
        ("title", "str", "the report's title line"),
        ("jurisdiction", "str", "the place that reports, as the report names it (天镇县, 海陵试验区)"),
        ("body", "str", "the issuing body as written (天镇县人民政府, 伊春市司法局), where stated"),
        ("publisher", "str", "the page's 来源 (source) line: who put the page online"),
        ("site", "str", "the website's name, from the page header"),
        ("division_type", "str",
         "province, city, district, county, county_city, town, township, subdistrict, zone or department"),
        ("tier", "str", "province, prefecture, county or township"),
        ("province", "str", "province-level division (省, 自治区, 直辖市)"),
        ("prefecture", "str", "prefecture-level division (地级市, 自治州…; the municipality for its districts)"),
        ("county", "str", "county-level division the jurisdiction is, or lies in"),
        ("adcode", "str", "six-digit national division code, where the jurisdiction is in the national table"),
        ("parent_adcode", "str", "code of the division a town, township, subdistrict or zone lies in"),
        ("township_code", "str", "nine-digit code of a town, township or subdistrict, where the page places it"),
        ("township_code_system", "str", "whose codes township_code are: mca (the Ministry of Civil Affairs' table)"),
        ("report_year", "int", "the year reported on (not the year of publication)"),
        ("published", "date", "the page's publish/issue date; the signature date where the page gives none"),
        ("signed", "date", "the date under the signature"),
        ("n_chars", "int", "characters in the clean report text"),
        ("encoding", "str", "the file's text encoding (utf-8, gb18030, utf-16…)"),
        ("format", "str", "txt or html"),
        *_PART_COLUMNS,
        ("n_sections", "int", "sections in the section tree"),
        ("n_shortcomings", "int", "shortcoming items"),
        ("n_indicators", "int", "stated quantities extracted"),
        ("n_blanks", "int", "unfilled template blanks (a measure word with no number)"),
        ("duplicate_of", "str", "report_id of an earlier report with the same clean text"),
        ("warnings", "str", "semicolon-separated flags (not_a_report, no_year, duplicate, …)"),
    ],
    "sections": [
        ("report_id", "str", "the report"),
        ("section_id", "int", "0..n-1 in document order; 0 is the root"),
        ("parent_id", "int", "the enclosing section (missing for the root)"),
        ("depth", "int", "0 root, 1 一、, 2 (一), 3 1、/1., 4 (1), 5 ①; inline enumerations one deeper"),
        ("marker", "str", "the heading's marker as written (一、, (一), 1.) or 一是 for enumerations"),
        ("heading", "str", "the heading without its marker"),
        ("role", "str", "achievements, shortcomings, responsibility, plans, other or preamble"),
        ("source", "str", "how the role was found: heading, inline or root"),
        ("kind", "str", "heading, enumeration, paragraph or root"),
        ("text", "str", "the section's text (= clean text[start:end]; derived from `texts`, not stored in files)"),
        ("start", "int", "offset of the section in the report's clean text"),
        ("end", "int", "end offset (exclusive)"),
    ],
    "parts": [
        ("report_id", "str", "the report"),
        ("part", "str", "achievements, shortcomings, responsibility, plans, other or preamble"),
        ("span", "int", "1-based number of the run of text within the report's part"),
        ("section_id", "int", "the top-most section of that role the run lies in"),
        ("source", "str", "how the part was found: heading, inline or root"),
        ("start", "int", "offset of the run in the clean text"),
        ("end", "int", "end offset (exclusive)"),
    ],
    "shortcomings": [
        ("report_id", "str", "the report"),
        ("item", "int", "1-based number of the item within the report"),
        ("text", "str", "the shortcoming as written"),
        ("source", "str", "heading (a shortcomings section) or inline (a paragraph elsewhere)"),
        ("section_id", "int", "the section the item sits in"),
        ("start", "int", "offset in the clean text"),
        ("end", "int", "end offset (exclusive)"),
    ],
    "indicators": [
        ("report_id", "str", "the report"),
        ("indicator", "str", "canonical name (行政复议纠错率), or the label as written when not in the lexicon"),
        ("label", "str", "the label as written in the sentence"),
        ("value", "float", "the number, with 万/亿 applied (2万余 → 20000)"),
        ("unit", "str", "% for rates; the measure word for counts (件, 人次); 万元/元 for amounts; 天 for durations"),
        ("kind", "str", "rate, change, reduction, count, amount or duration"),
        ("qualifier", "str", "余, 近, 超, 以上, 约, 多… as written, else missing"),
        ("domain", "str", "policy domain of the indicator (政务服务, 行政复议, 矛盾调解…)"),
        ("section_id", "int", "the section the number sits in"),
        ("role", "str", "the part that section belongs to"),
        ("sentence", "str", "the sentence the number came from, trimmed; a sentence over 200 characters is cut to 200 around the number, a cut end marked …"),
        ("start", "int", "offset of the number as written in the clean text"),
        ("end", "int", "end offset (exclusive): text[start:end] is the number as written"),
    ],
    "checks": [
        ("report_id", "str", "the report"),
        ("indicator", "str", "the stated rate"),
        ("stated", "float", "the rate as stated (%)"),
        ("recomputed", "float", "the rate recomputed from the counts stated beside it (%)"),
        ("numerator", "float", "count used as numerator"),
        ("denominator", "float", "count used as denominator"),
        ("difference", "float", "stated minus recomputed, in percentage points"),
        ("consistent", "bool", "the gap is at most 0.5 points"),
        ("note", "str", "how the rate was recomputed, or why it cannot be reproduced"),
        ("start", "int", "offset of the stated rate in the clean text"),
        ("end", "int", "end offset (exclusive)"),
    ],
    "blanks": [
        ("report_id", "str", "the report"),
        ("measure_word", "str", "the measure word left without a number (次, 件, 起…)"),
        ("context", "str", "the words around the blank"),
        ("start", "int", "offset of the blank in the clean text"),
        ("end", "int", "end offset (exclusive)"),
    ],
    "texts": [
        ("report_id", "str", "the report"),
        ("text", "str", "the clean report text: every offset in every table indexes it"),
    ],
    "evidence": [
        ("report_id", "str", "the report"),
        ("field", "str", "a column of `reports` (jurisdiction, province, published…), or place_candidate: a division the reporter's name could be (best first)"),
        ("value", "str", "the value as it stands in `reports`, as text"),
        ("rule", "str", "the rule that gave the value"),
        ("text", "str", "the line or words of the page it came from"),
    ],
    "tokens": [
        ("report_id", "str", "the report"),
        ("part", "str", "shortcomings (one row per shortcoming item) or another role (one row per run of text of that part)"),
        ("item", "int", "the shortcoming's item, or the run's span in `parts`: the document's item in topics.documents"),
        ("tokens", "str", "the document's segments by the default tokenizer (rjieba, domain lexicon), joined by a single space, before stopwords and the other filters; whitespace left out"),
    ],
    "errors": [
        ("path", "str", "the file that failed"),
        ("stage", "str", "read, decode, html, clean, metadata, structure, indicators, or worker (a time or memory budget)"),
        ("error", "str", "error type: decode_error, empty, unsupported_format, too_large, parse_error…"),
        ("message", "str", "what went wrong and what to do"),
    ],
}

#: One line on what a row of each table is (the data package's resource descriptions).
TABLE_DESCRIPTIONS: dict[str, str] = {
    "reports": "one row per report: who reported, for which year, when, and which parts it has",
    "sections": "one row per section of a report's section tree (its text is texts.text[start:end])",
    "parts": "one row per run of text of one of the five parts",
    "shortcomings": "one row per admitted shortcoming",
    "indicators": "one row per stated rate, count, amount or duration",
    "checks": "one row per stated rate recomputed from the counts stated beside it",
    "blanks": "one row per unfilled template blank",
    "texts": "one row per report: its clean text, which every offset indexes",
    "evidence": "one row per value of reports: the rule and the words it came from",
    "tokens": "one row per document (shortcoming item, or run of text of another part): its segments, computed once by the parse",
    "errors": "one row per file (or stage) that failed, and why",
}

#: The columns that identify a row of each table (none for indicators and checks: two
#: quantities can share a number's offsets; none for errors: a file can fail twice).
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "reports": ("report_id",),
    "texts": ("report_id",),
    "sections": ("report_id", "section_id"),
    "parts": ("report_id", "part", "span"),
    "shortcomings": ("report_id", "item"),
    "blanks": ("report_id", "start"),
    "evidence": ("report_id", "field"),
    "tokens": ("report_id", "part", "item"),
}

#: Tables kept in the dataset (``--out/dataset/tables``) and the Corpus (``Corpus.save``), not
#: written as files of their own by ``lawreports build``: a token dump is for the analyses, not
#: for a workbook or a Stata file.
DATASET_ONLY = ("tokens",)

#: Columns a corpus derives on demand and does not store (the section text is a slice of `texts`).
DERIVED = {"sections": ("text",)}

# -- tables across reports (issue 15: lawreports.timeliness, lawreports.panel, lawreports.reuse) --
#: Tables computed across reports from the corpus tables (not parsed from each report, not part
#: of ``Corpus`` or ``Corpus.save``); ``lawreports build`` writes them (lawreports.derived).
DERIVED_TABLES: dict[str, list[tuple[str, str, str]]] = {
    "timeliness": [
        ("report_id", "str", "the report"),
        ("jurisdiction", "str", "the place that reports"),
        ("division_type", "str", "kind of reporting body"),
        ("tier", "str", "province, prefecture, county or township"),
        ("report_year", "int", "the year reported on"),
        ("published", "date", "the date days_late rests on (see date_basis)"),
        ("signed", "date", "the date under the signature"),
        ("date_basis", "str", "page (the page's publication date) or signature (the page gives none); missing without a date"),
        ("publish_deadline", "date", "the deadline for making the report public (resources/deadlines.csv)"),
        ("days_late", "int", "published minus publish_deadline, in days; negative is early"),
        ("on_time", "bool", "published on or before publish_deadline"),
        ("report_deadline", "date", "the deadline for reporting to the level above (1 March; provinces 1 April; 31 March before 2019)"),
        ("days_signed_to_published", "int", "published minus signed, in days (missing when published is the signature date)"),
        ("signed_by_report_deadline", "bool", "signed on or before report_deadline"),
        ("deadline_source", "str", "the document that sets publish_deadline"),
    ],
    "panel": [
        ("unit_id", "str", "the reporting unit across years: adcode, township code, or province|prefecture|jurisdiction"),
        ("unit_basis", "str", "what unit_id rests on: adcode, township_code or names (flag: names can change)"),
        ("report_year", "int", "the year reported on"),
        ("report_id", "str", "the report kept for this unit and year"),
        ("jurisdiction", "str", "the place as that year's report names it"),
        ("division_type", "str", "kind of reporting body"),
        ("tier", "str", "province, prefecture, county or township"),
        ("province", "str", "province-level division"),
        ("prefecture", "str", "prefecture-level division"),
        ("n_reports", "int", "reports of this unit and year before one was kept (more than 1: duplicates resolved)"),
        ("dropped_reports", "str", "semicolon-separated report_ids of this unit and year not counted"),
        ("n_chars", "int", "characters in the clean report text"),
        *[(f"has_{p}", "bool", f"the report has a {p} part") for p in PARTS],
        ("n_shortcomings", "int", "shortcoming items"),
        ("days_late", "int", "published minus the publication deadline, in days"),
        ("n_chars_change", "int", "n_chars minus the previous year's (missing unless the unit reported on year - 1)"),
        ("n_shortcomings_change", "int", "n_shortcomings minus the previous year's"),
        ("days_late_change", "int", "days_late minus the previous year's"),
    ],
    "reuse": [
        ("report_a", "str", "the earlier report of the pair (by report_year, published, report_id)"),
        ("report_b", "str", "the later report of the pair"),
        ("scope", "str", "report, a part (achievements, shortcomings, responsibility, plans, other) or shortcoming_item"),
        ("item_a", "int", "the shortcoming item of report_a (scope shortcoming_item), else missing"),
        ("item_b", "int", "the shortcoming item of report_b (scope shortcoming_item), else missing"),
        ("similarity", "float", "Jaccard similarity of the two texts' character 5-gram sets (digits masked)"),
        ("containment_a", "float", "share of report_a's 5-grams found in report_b's text"),
        ("containment_b", "float", "share of report_b's 5-grams found in report_a's text"),
        ("span", "int", "1, 2… the shared passage within the pair (missing: similar, but no passage of min_span chars)"),
        ("a_start", "int", "offset of the shared passage in report_a's clean text"),
        ("a_end", "int", "end offset (exclusive) in report_a's clean text"),
        ("b_start", "int", "offset of the shared passage in report_b's clean text"),
        ("b_end", "int", "end offset (exclusive) in report_b's clean text"),
        ("text", "str", "the shared passage as report_a writes it"),
    ],
    "reuse_measures": [
        ("report_id", "str", "the report"),
        ("unit_id", "str", "the reporting unit across years (as in panel)"),
        ("report_year", "int", "the year reported on"),
        ("previous_report", "str", "the same unit's report on the latest earlier year"),
        ("previous_year", "int", "the year of previous_report"),
        ("shortcomings_chars", "int", "characters in the report's shortcoming items"),
        ("shortcomings_from_previous", "float", "share of the shortcomings text found in previous_report (missing without one)"),
        ("shortcomings_from_same_year", "float", "share of the shortcomings text found in another unit's report of the same year"),
        ("same_year_sources", "str", "semicolon-separated report_ids of the same year that share shortcomings text"),
        ("report_from_previous", "float", "share of the whole report text found in previous_report"),
    ],
}


def _spec(table: str) -> list[tuple[str, str, str]]:
    if table in TABLES:
        return TABLES[table]
    if table in DERIVED_TABLES:
        return DERIVED_TABLES[table]
    raise ValueError(f"The value for `table` must be one of {sorted(TABLES) + sorted(DERIVED_TABLES)}, "
                     f"not {table!r}")
# -- end of the tables across reports -------------------------------------------------------

_DTYPES = {"str": "string", "int": "Int64", "float": "Float64", "bool": "boolean", "date": "datetime64[s]"}


def columns(table: str) -> list[str]:
    """Column names of ``table`` in order."""
    return [c for c, _, _ in _spec(table)]


def stored_columns(table: str) -> list[str]:
    """Columns of ``table`` that are stored (all but the derived ones)."""
    return [c for c in columns(table) if c not in DERIVED.get(table, ())]


def coerce(table: str, frame: pd.DataFrame, *, stored: bool = False) -> pd.DataFrame:
    """Order the columns of ``frame`` as the schema says and give them their types.

    Columns the schema does not know are kept, after the known ones.
    """
    spec = [s for s in _spec(table) if not (stored and s[0] in DERIVED.get(table, ()))]
    if stored:
        frame = frame.drop(columns=[c for c in DERIVED.get(table, ()) if c in frame.columns])
    for name, kind, _ in spec:
        if name not in frame.columns:
            frame[name] = pd.NA
        if kind == "date":
            frame[name] = pd.to_datetime(frame[name], errors="coerce").astype("datetime64[s]")
        elif kind == "bool":
            frame[name] = frame[name].astype("boolean")
        else:
            frame[name] = frame[name].astype(_DTYPES[kind])
    known = [c for c, _, _ in spec]
    return frame[known + [c for c in frame.columns if c not in known]].reset_index(drop=True)


def empty_frame(table: str, *, stored: bool = False) -> pd.DataFrame:
    """An empty table with the schema's columns and types."""
    return coerce(table, pd.DataFrame({c: [] for c in columns(table)}), stored=stored)


def data_dictionary() -> pd.DataFrame:
    """Every table's columns with type and meaning, as a tidy table (table, column, type, description)."""
    rows = [{"table": t, "column": c, "type": k, "description": d}
            for t, spec in {**TABLES, **DERIVED_TABLES}.items() for c, k, d in spec]
    return pd.DataFrame(rows)
