"""The project's own files agree: pyproject.toml and environment.yml, README and the schema."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from lawreports import schema

ROOT = Path(__file__).resolve().parents[1]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["dev"]
    return {_name(r): r for r in reqs}


def _environment() -> dict[str, str]:
    specs = {}
    section = None
    for line in (ROOT / "environment.yml").read_text("utf-8").splitlines():
        top = re.match(r"^([a-z_]+):", line)
        if top:
            section = top.group(1)
        if section != "dependencies":
            continue
        m = re.match(r"^\s+-\s+([A-Za-z0-9_.\-]+[^#]*?)\s*(#.*)?$", line)
        if m and not m.group(1).startswith(("-e", "pip")) and ":" not in m.group(1):
            specs[_name(m.group(1))] = m.group(1).strip()
    specs.pop("python", None)
    return specs


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    assert set(_environment()) == set(_pyproject())


def test_environment_yml_uses_the_same_minimum_versions():
    env, py = _environment(), _pyproject()
    for name, spec in py.items():
        floor = re.search(r">=\s*([\d.]+)", spec)
        if floor:
            assert f">={floor.group(1)}" in env[name].replace(" ", ""), (name, spec, env[name])


def test_nothing_is_pinned_exactly():
    for spec in list(_pyproject().values()) + list(_environment().values()):
        assert "==" not in spec, spec


def test_readme_documents_every_column_of_every_table():
    readme = (ROOT / "README.md").read_text("utf-8")
    for table, spec in schema.TABLES.items():
        assert f"### `{table}`" in readme, table
        for column, _, _ in spec:
            assert f"| `{column}` |" in readme, (table, column)


def test_readme_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert 'pip install -e ".[dev]" && python -m pytest' in readme
    assert 'pip install --quiet -e ".[dev]"' in ci and "python -m pytest" in ci
    assert "lawreports build --out lawreports-out" in readme and "lawreports build" in ci
