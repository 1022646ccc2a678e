"""Which files a corpus reads: every path given is a report file, an error or a skipped file.

:func:`discover` walks what the user named (files, folders, glob patterns) without following a
link out of the folder it was found in, and accounts for everything it meets:

* report pages (:data:`REPORT_SUFFIXES`; a file named explicitly is read whatever its name);
* ``errors`` rows for what cannot be read: a name that matches nothing (``not_found``,
  ``no_files``), a dangling link (``dangling_link``), a link loop (``symlink_loop``), a FIFO,
  socket or device (``not_a_regular_file``), a link leading out of the folder
  (``outside_source``, unless ``allow_outside=True``), a folder that cannot be listed
  (``unreadable``);
* ``skipped`` rows for files a folder holds that are not report pages, and for the build's own
  output folder when it lies inside the source.

File names that are not valid text (a GBK name unzipped on Linux, a 0xFF byte) are kept as the
bytes the file system gave (``os.fsdecode`` with surrogate escapes) and shown escaped
(:func:`shown`). Every report gets a ``report_id`` that is unique in the corpus: its file name
without extension, or, where two files share one, its path below the source folder.
"""

from __future__ import annotations

import glob
import os
import stat
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .vocab import REPORT_SUFFIXES

__all__ = ["REPORT_SUFFIXES", "SourceFile", "Discovery", "bundled_dir", "discover", "read_urls", "url_for",
           "file_digest", "shown"]

_GLOB_CHARS = set("*?[")


def bundled_dir() -> Path:
    """The folder of the bundled corpus (the seed reports in ``data/raw``)."""
    return Path(str(resources.files("lawreports") / "bundled")).resolve()


def shown(path: str) -> str:
    """A path as it can be printed and stored: undecodable bytes and control characters escaped."""
    raw = os.fsencode(path)
    text = raw.decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


@dataclass(frozen=True)
class SourceFile:
    """A report file to read: where it is, how it is shown, its id, its size and time."""

    path: str              # as the file system names it (may hold surrogate escapes)
    shown: str             # printable form, stored in the tables' ``path`` column
    report_id: str
    size: int
    mtime_ns: int
    root: str | None       # the folder it was found in (None when named itself)


@dataclass
class Discovery:
    files: list[SourceFile]
    errors: list[dict[str, str]]
    skipped: list[dict[str, str]]


def _error(path: str, error: str, message: str) -> dict[str, str]:
    return {"path": shown(path), "stage": "read", "error": error, "message": message}


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def _check_file(path: str, root: str | None, allow_outside: bool) -> tuple[os.stat_result | None, dict | None]:
    """The stat of a regular file to read, or the error row that says why it is not one."""
    try:
        lst = os.lstat(path)
    except FileNotFoundError:
        return None, _error(path, "not_found", "no such file")
    except OSError as exc:
        return None, _error(path, "unreadable", f"cannot be examined: {exc.strerror}")
    if stat.S_ISLNK(lst.st_mode):
        try:
            target = os.stat(path)
        except FileNotFoundError:
            return None, _error(path, "dangling_link", "a link to a file that does not exist")
        except OSError as exc:
            if exc.errno == 40:  # ELOOP
                return None, _error(path, "symlink_loop", "a link that leads back to itself")
            return None, _error(path, "unreadable", f"a link that cannot be followed: {exc.strerror}")
        real = os.path.realpath(path)
        if root is not None and not allow_outside and not _inside(real, os.path.realpath(root)):
            return None, _error(path, "outside_source",
                                f"a link out of the folder read ({shown(real)}); pass allow_outside=True "
                                "(lawreports build --allow-outside) to read it")
        lst = target
    if not stat.S_ISREG(lst.st_mode):
        kind = ("a FIFO" if stat.S_ISFIFO(lst.st_mode) else "a socket" if stat.S_ISSOCK(lst.st_mode)
                else "a device" if stat.S_ISCHR(lst.st_mode) or stat.S_ISBLK(lst.st_mode)
                else "a folder" if stat.S_ISDIR(lst.st_mode) else "not a regular file")
        return None, _error(path, "not_a_regular_file", f"{kind}, not a file to read")
    return lst, None


def _walk(folder: str, exclude: list[str], allow_outside: bool, errors: list, skipped: list) -> list[str]:
    """Files below ``folder`` (hidden ones aside), links into the folder followed once."""
    out: list[str] = []
    real_root = os.path.realpath(folder)
    seen_dirs = {real_root}
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            errors.append(_error(current, "unreadable", f"the folder cannot be listed: {exc.strerror}"))
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            full = entry.path
            try:
                is_dir = entry.is_dir()                 # follows links
            except OSError:
                is_dir = False
            if is_dir:
                real = os.path.realpath(full)
                if any(_inside(real, os.path.realpath(x)) for x in exclude):
                    skipped.append({"path": shown(full), "reason": "the build's own output folder"})
                    continue
                if entry.is_symlink() and not allow_outside and not _inside(real, real_root):
                    errors.append(_error(full, "outside_source", f"a link out of the folder read ({shown(real)})"))
                    continue
                if real in seen_dirs:
                    errors.append(_error(full, "symlink_loop", "a link to a folder already read"))
                    continue
                seen_dirs.add(real)
                subdirs.append(full)
                continue
            out.append(full)
        stack.extend(reversed(subdirs))
    return out


def discover(source: Any = None, *, exclude: list[str | os.PathLike[str]] | None = None,
             allow_outside: bool = False) -> Discovery:
    """Everything ``source`` names, accounted for (see the module docstring).

    Parameters
    ----------
    source : None, path, glob pattern, or a list of them
        ``None`` is the bundled corpus.
    exclude : list of paths, optional
        Folders never read (the build's own output folder).
    allow_outside : bool
        Follow links that lead out of the folder they were found in.
    """
    if source is None:
        source = bundled_dir()
    items = list(source) if isinstance(source, list | tuple | set) else [source]
    excluded = [os.fspath(x) for x in (exclude or [])]
    errors: list[dict[str, str]] = []
    skipped: list[dict[str, str]] = []
    candidates: list[tuple[str, str | None]] = []       # (path, folder it was found in)
    for item in items:
        text = os.fspath(item)
        if os.path.isdir(text):
            below = _walk(text, excluded, allow_outside, errors, skipped)
            found = [p for p in below if os.path.splitext(p)[1].lower() in REPORT_SUFFIXES]
            skipped += [{"path": shown(p), "reason": f"not a report page ({os.path.splitext(p)[1] or 'no extension'}; "
                         f"a folder is read for {', '.join(REPORT_SUFFIXES)})"}
                        for p in below if os.path.splitext(p)[1].lower() not in REPORT_SUFFIXES]
            if not found:
                errors.append(_error(text, "no_files", "the folder holds no report pages (.txt, .html…)"
                                     + (f"; {len(below)} other files skipped" if below else "")))
            candidates += [(p, text) for p in found]
        elif os.path.lexists(text):
            candidates.append((text, None))
        elif _GLOB_CHARS & set(text):
            found = sorted(glob.glob(text, recursive=True))
            if not found:
                errors.append(_error(text, "no_files", "the pattern matches no file"))
            candidates += [(p, None) for p in found if not os.path.isdir(p)]
        else:
            errors.append(_error(text, "not_found", "no such file or folder"))
    files: list[tuple[str, str | None, os.stat_result]] = []
    seen: set[str] = set()
    for path, root in candidates:
        key = os.path.abspath(path)
        if key in seen:
            continue
        seen.add(key)
        st, error = _check_file(path, root, allow_outside)
        if error is not None:
            errors.append(error)
        else:
            files.append((path, root, st))
    return Discovery(_with_ids(files), errors, skipped)


def _with_ids(files: list[tuple[str, str | None, os.stat_result]]) -> list[SourceFile]:
    """Unique report ids: the file name without extension, else the path below its folder."""
    stems: dict[str, int] = {}
    for path, _, _ in files:
        stem = shown(Path(path).stem)
        stems[stem] = stems.get(stem, 0) + 1
    out = []
    used: set[str] = set()
    for path, root, st in files:
        rid = shown(Path(path).stem)
        if stems[rid] > 1:
            rel = os.path.relpath(path, root) if root else path
            rid = shown(os.path.splitext(rel)[0]).replace(os.sep, "/").lstrip("./")
        base, n = rid, 1
        while rid in used:                   # the same relative path twice (two sources)
            n += 1
            rid = f"{base}~{n}"
        used.add(rid)
        out.append(SourceFile(path, shown(path), rid, st.st_size, st.st_mtime_ns, root))
    return out


def read_urls(urls: Any) -> dict[str, str]:
    """Page addresses by file: a mapping (file name or path → URL) or a CSV with ``file``/``path`` and ``url``."""
    import csv
    from collections.abc import Mapping

    if urls is None:
        return {}
    if isinstance(urls, Mapping):
        return {str(k): str(v) for k, v in urls.items() if v}
    with open(urls, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    columns = list(rows[0]) if rows else []
    key = "file" if "file" in columns else "path" if "path" in columns else None
    if key is None or "url" not in columns:
        raise ValueError(f"{urls}: a URL table needs the columns `file` (or `path`) and `url`; it has {columns}")
    return {r[key]: r["url"] for r in rows if r.get("url")}


def url_for(urls: dict[str, str], path: str) -> str | None:
    """A file's web address in a table from :func:`read_urls`: by absolute path, path or file name."""
    return urls.get(os.path.abspath(path)) or urls.get(path) or urls.get(os.path.basename(path))


def file_digest(path: str | os.PathLike[str]) -> tuple[int, str]:
    """(size, SHA-256) of a file, read in blocks."""
    import hashlib

    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()
