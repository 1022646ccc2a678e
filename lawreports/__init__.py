"""lawreports: Chinese local governments' annual rule-of-law reports as tidy data.

Read one report with :func:`read_report`, a folder of them with :func:`load_corpus`.
"""

from __future__ import annotations

import logging

from .errors import ReportError
from .corpus import Corpus, load_corpus
from .reader import Report, read_report

__all__ = ["Corpus", "Report", "ReportError", "load_corpus", "read_report", "__version__"]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
