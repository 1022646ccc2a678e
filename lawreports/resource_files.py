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

__all__ = ["read_text", "read_lines", "read_csv", "fingerprint", "fingerprint_of", "private_cache_dir"]


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


def _user_cache_dir() -> Path:
    """This user's cache folder for lawreports (platformdirs, else ``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    import os

    try:
        import platformdirs
    except ImportError:  # pragma: no cover - platformdirs comes with most environments
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lawreports"
    return Path(platformdirs.user_cache_dir("lawreports"))


@functools.lru_cache(maxsize=None)
def private_cache_dir(name: str) -> str:
    """A folder only this user can write, ``<user cache>/lawreports/<name>`` (mode 0700).

    When that folder is not this user's alone (another owner, a link, others may write), a fresh
    private folder is used instead: nothing the library caches is read from a shared place.
    """
    import logging
    import os
    import stat
    import tempfile

    folder = _user_cache_dir() / name
    try:
        folder.mkdir(parents=True, mode=0o700, exist_ok=True)
        st = os.lstat(folder)
        if stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid():
            if stat.S_IMODE(st.st_mode) & 0o077:
                os.chmod(folder, 0o700)
            return str(folder)
        logging.getLogger(__name__).warning("%s is not a folder of this user's: a private folder is used", folder)
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot use %s (%s): a private folder is used instead", folder, exc)
    return tempfile.mkdtemp(prefix=f"lawreports-{name}-")   # mode 0700, this process only
