"""The bundled data files under ``lawreports/resources/``: one loader and one fingerprint.

Every stage reads its lexicons and tables through :func:`read_text`, so the set of files the
stages depend on is known in one place and :func:`fingerprint` can key a cache by all of them.
Lines starting with ``#`` document each file at its top.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import importlib.resources
import io
from pathlib import Path

__all__ = ["read_text", "read_lines", "read_csv", "fingerprint", "fingerprint_of"]


def _dir():
    return importlib.resources.files("lawreports") / "resources"


@functools.lru_cache(maxsize=None)
def read_text(name: str) -> str:
    """The text of ``resources/<name>`` (UTF-8)."""
    return (_dir() / name).read_text(encoding="utf-8")


def read_lines(name: str) -> tuple[str, ...]:
    """The non-blank lines of ``resources/<name>`` that are not ``#`` comments, stripped."""
    return tuple(line.strip() for line in read_text(name).splitlines()
                 if line.strip() and not line.lstrip().startswith("#"))


def read_csv(name: str) -> list[dict[str, str]]:
    """The rows of ``resources/<name>`` as dicts, ``#`` comment lines skipped."""
    body = "\n".join(line for line in read_text(name).splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body)))


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """SHA-256 over the package's code and every bundled resource file (computed once).

    Any edit to a module or to a lexicon gives a new fingerprint, so a cache keyed by it never
    serves results of other code or other data.
    """
    return fingerprint_of(Path(str(importlib.resources.files("lawreports"))))


def fingerprint_of(root: Path) -> str:
    """SHA-256 over the ``.py`` modules and ``resources/`` files below ``root``."""
    root = Path(root)
    h = hashlib.sha256()
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc"
                   and not {"bundled", "__pycache__"} & set(p.relative_to(root).parts))
    for path in files:
        h.update(str(path.relative_to(root).as_posix()).encode("utf-8"))
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()
