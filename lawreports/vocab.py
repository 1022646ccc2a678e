"""The project's vocabulary: the five parts, the kinds of reporting body, tiers, stages, tables.

Every module imports these names from here, so a part or a division type is defined once.
"""

from __future__ import annotations

__all__ = ["PARTS", "REQUIRED_PARTS", "ROLES", "DIVISION_TYPES", "TIERS", "TIER_OF",
           "LEVEL_ORDER", "STAGES", "REPORT_STAGES", "HTML_SUFFIXES", "REPORT_SUFFIXES", "FORMATS",
           "DEFAULT_MAX_BYTES"]

#: The five parts of a report, in the order the 2019 rules list them.
PARTS = ("achievements", "shortcomings", "responsibility", "plans", "other")
#: The parts that ``structure_score`` counts.
REQUIRED_PARTS = ("achievements", "shortcomings", "responsibility", "plans")
#: Roles a section can have: a part, or the preamble before the first part.
ROLES = PARTS + ("preamble",)

#: Kinds of reporting body (``reports.division_type``).
DIVISION_TYPES = ("province", "city", "district", "county", "county_city", "town", "township",
                  "subdistrict", "zone", "department")
#: Levels of government (``reports.tier``).
TIERS = ("province", "prefecture", "county", "township")
#: The tier of each division type (a zone or a department takes its government's tier).
TIER_OF = {
    "province": "province",
    "city": "prefecture",
    "district": "county",
    "county": "county",
    "county_city": "county",
    "town": "township",
    "township": "township",
    "subdistrict": "township",
}
#: Division types in the order charts show them (top of the hierarchy first).
LEVEL_ORDER = ("province", "city", "district", "county", "county_city", "zone", "department",
               "town", "township", "subdistrict")

#: The per-report stages in the data flow's order, and the file stage before them; ``worker`` is
#: the process a file is parsed in (a time or memory budget exceeded, or the process died).
#: These are the only values of ``errors.stage``.
STAGES = ("read", "decode", "html", "clean", "metadata", "structure", "indicators", "worker")
#: Stages that run on a report's clean text; a failure there keeps the report.
REPORT_STAGES = ("structure", "indicators")

#: File name endings read as HTML whatever their content.
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php")
#: File name endings a folder build reads as report pages (saved web pages and text).
REPORT_SUFFIXES = (".txt", ".text") + HTML_SUFFIXES
#: The formats ``lawreports build`` writes the tables in.
FORMATS = ("parquet", "csv", "xlsx", "dta")
#: Largest file read by default (a report page is rarely above 1 MB).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
