"""The briefing pack: HTML self-contained and offline, .docx with the assumptions and results tables."""
from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from model import presets, run
from model.brief import brief_docx, brief_html
from tests.conftest import REPO


@pytest.fixture(scope="module")
def results(plan_data):
    return run(plan_data, presets(plan_data)["historical-trend"])


def test_html_is_self_contained_with_inline_charts(plan_data, results):
    page = brief_html(plan_data, results, "zh")
    assert page.count("<svg") >= 4
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)  # nothing fetched from anywhere
    assert "<script" not in page
    assert results.scenario.name in page and "低于目标" in page and "附件" in page


def test_docx_holds_the_assumptions_and_results_tables(plan_data, results):
    from docx import Document

    doc = Document(io.BytesIO(brief_docx(plan_data, results, "en")))
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    flat = {c for row in cells for c in row}
    assert "growth.rail_transit" in flat and "Park output 2025" in flat
    assert len(doc.tables) == 3 and len(doc.inline_shapes) == 4
    assert any("Scenario brief" in p.text for p in doc.paragraphs)


def test_cli_brief_writes_both_files(tmp_path):
    r = subprocess.run([sys.executable, "-m", "model", "brief", "--preset", "plan-targets", "--out", str(tmp_path)],
                       cwd=REPO, capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "brief.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "brief.docx").read_bytes()[:2] == b"PK"
    bad = subprocess.run([sys.executable, "-m", "model", "brief", "--preset", "nope", "--out", str(tmp_path / "x")],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and not (tmp_path / "x").exists()
