"""The example notebooks: each opens with its question, stores the outputs nbval checks, and a
changed checked output makes the test run fail."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHECK = "# NBVAL_CHECK_OUTPUT"


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["cells"]


def test_the_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == ["01_quickstart", "02_structure", "03_rates_across_levels",
                                           "04_shortcomings_topics", "05_data_quality",
                                           "06_text_verbs", "07_years_and_reuse"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_with_its_question_and_checks_its_numbers(path):
    cells = _cells(path)
    assert cells[0]["cell_type"] == "markdown" and "**Question:**" in "".join(cells[0]["source"])
    checked = [c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).startswith(CHECK)]
    assert len(checked) >= 3
    for cell in checked:
        assert cell["outputs"], "a checked cell must store the output nbval compares"
        assert all(o["output_type"] != "error" for o in cell["outputs"])


def test_a_changed_checked_output_fails_nbval(tmp_path):
    source = ROOT / "notebooks" / "01_quickstart.ipynb"
    nb = json.loads(source.read_text("utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).startswith(CHECK)
                and "report_year" in "".join(c["source"]))
    out = cell["outputs"][0]
    out["text"] = "".join(out["text"]).replace("2021", "2020")
    tampered = tmp_path / "01_tampered.ipynb"
    tampered.write_text(json.dumps(nb, ensure_ascii=False), "utf-8")
    result = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q",
                             "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tampered)],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "1 failed" in result.stdout
