"""The monitoring's files and reports (model/report/monitoring_report.py): monitoring.csv and its companions, the
annual and mid-term reports (.docx and .html, printed by LibreOffice with every table row), the early-warning lines,
the warnings-by-year chart, and ``python -m model monitor`` / ``tasks`` run as users run them (bad input: exit 2,
one line per problem, nothing written, no traceback). Fixtures: tests/fixtures/monitoring/ (synthetic)."""
from __future__ import annotations

import csv
import io
import math
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.calc.monitoring import NORMAL, WARNING, WATCH, history, history_years, monitor
from model.io.actuals import ActualsSet, ProjectActuals
from model.io.files import MARKER
from model.io.tasks import TaskRegister
from model.report import monitoring_report as R
from model.report.text import tr
from tests.conftest import REPO

FIX = REPO / "tests" / "fixtures" / "monitoring"
PROJECTS = REPO / "tests" / "fixtures" / "actuals" / "projects.csv"  # synthetic execution of three projects
DAY = date(2026, 1, 5)


@pytest.fixture(scope="module")
def docs(plan_data):
    aset = ActualsSet.from_path(FIX / "actuals.csv", plan_data)
    reg = TaskRegister.from_path(FIX / "tasks.csv", plan_data)
    mon = monitor(plan_data, aset, tasks=reg, projects=ProjectActuals.from_path(PROJECTS, plan_data))
    hist = history(plan_data, aset, history_years(plan_data, aset, mon.year), tasks=reg)
    return aset, reg, mon, hist


def by_id(mon):
    return mon.targets.set_index("indicator_id")


def test_the_fixture_reads_as_its_readme_says(plan_data, docs):
    _, _, mon, _ = docs
    t = by_id(mon)
    assert t.loc["park_output_2025", "warning"] == WARNING
    assert t.loc["rail_output_2025", "warning"] == NORMAL
    assert t.loc["rail_output_2025", "anticipated_progress"] == pytest.approx(1.0, abs=1e-3)  # 7.5 %, rounded
    assert t.loc["hightech_firms_2025", "warning"] == WATCH
    assert t.loc["hightech_firms_2025", "anticipated_value"] == pytest.approx(140)
    assert t.loc["new_national_incubators", "warning"] == WARNING
    assert t.loc["land_use_index_2025", "warning"] == NORMAL
    assert "measure_differs" in t.loc["firms_rev_10yi_2025", "flags"]
    assert t.loc["national_park_2025", "warning"] == WARNING and t.loc["national_park_2025", "lead_unit"] == "区发改局"
    p = mon.projects.set_index("project_id")
    assert (p.loc[["P01", "P04", "P05"], "warning"] == WARNING).all()  # money behind, not started, past its end
    assert p.loc["P01", "ratio"] == pytest.approx(1.2 / p.loc["P01", "planned_to_date"])


# -- CSV ---------------------------------------------------------------------------------------------------------

def test_monitoring_csv_has_the_columns_people_and_scripts_read(plan_data, docs):
    _, _, mon, hist = docs
    files = R.monitoring_files(plan_data, mon, "en", hist=hist)
    assert sorted(files) == sorted(R.CSV_FILES) and all(b.startswith(b"\xef\xbb\xbf") for b in files.values())
    projects = list(csv.DictReader(io.StringIO(files["monitoring_projects.csv"].decode("utf-8-sig"))))
    assert list(projects[0]) == R.PROJECT_CSV_COLUMNS and len(projects) == len(mon.projects)
    rows = list(csv.DictReader(io.StringIO(files["monitoring.csv"].decode("utf-8-sig"))))
    assert list(rows[0])[:8] == ["indicator_id", "year", "actual", "expected_now", "current_status",
                                 "anticipated_value", "anticipated_progress", "warning"]
    for col in ("unit", "method", "years_to_go", "growth_needed_pct", "flags"):
        assert col in rows[0]
    park = next(r for r in rows if r["indicator_id"] == "park_output_2025")
    assert park["warning"] == tr("mon.warning.warning", "en") and park["method"] == "compound"
    assert float(park["growth_needed_pct"]) == pytest.approx(by_id(mon).loc["park_output_2025", "growth_needed_pct"])
    text = b"".join(files.values()).decode("utf-8-sig")
    assert not re.search(r"\b(nan|inf|NaN|None)\b", text)
    tasks = list(csv.DictReader(io.StringIO(files["monitoring_tasks.csv"].decode("utf-8-sig"))))
    assert len(tasks) == len(mon.tasks) and {"lead_unit", "progress", "evidence", "warning"} <= set(tasks[0])
    hist_rows = list(csv.DictReader(io.StringIO(files["monitoring_history.csv"].decode("utf-8-sig"))))
    assert len(hist_rows) == len(hist)


# -- the reports -----------------------------------------------------------------------------------------------

def texts(blocks) -> list[str]:
    out = []
    for b in blocks:
        out += [b.text] + [str(x) for x in b.items if isinstance(x, str)]
        out += [" ".join(map(str, row)) for row in b.items if isinstance(row, tuple)] + list(map(str, b.head))
    return out


@pytest.mark.parametrize("kind", R.KINDS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_structure_follows_an_offices(plan_data, docs, kind, lang):
    _, _, mon, hist = docs
    blocks = R.report_blocks(plan_data, mon, lang, kind, hist, with_charts=False, today=DAY)
    heads = [b.text for b in blocks if b.kind == "h1"]
    want = ["mon.s1", "mon.s2", "mon.s3", "mon.s_proj", "mon.s4"] + (["mon.s_hist"] if kind == "midterm" else []) + [
        "mon.s5", "mon.s6", "mon.s7"]
    numerals = tr("mon.numerals", lang).split(",")
    assert heads == [tr("mon.heading", lang, num=numerals[i], title=tr(k, lang)) for i, k in enumerate(want)]
    body = "\n".join(texts(blocks))
    assert tr("mon.s6.note", lang) in body  # recommendations marked for editing
    assert "区发改局" in body and "区商务局" in body  # lagging tasks with their lead units
    assert "P04" in body and "P05" in body  # projects at warning
    assert R.need_text(by_id(mon).loc["park_output_2025"].to_dict() | {"unit": "亿元"}, lang) in body
    assert tr("mon.method.thresholds", lang, on_track="95%", watch="75%", points=2,
              fit=tr("mon.fit.endpoints", lang), start_by=1) in body


def test_chinese_report_has_no_english_and_chinese_punctuation(plan_data, docs):
    from tests.test_chinese_pages import english_words, half_width_punctuation

    _, _, mon, hist = docs
    body = texts(R.report_blocks(plan_data, mon, "zh", "midterm", hist, with_charts=False, today=DAY))
    assert not english_words(body) - {"synthetic"}  # the fixture's own source name
    assert not half_width_punctuation(body)


def test_early_warning_lines_name_the_growth_needed_and_the_lead_units(plan_data, docs):
    _, _, mon, _ = docs
    lines = R.warning_lines(mon, "zh")
    ids = [x["id"] for x in lines]
    assert ids[:2] == ["park_output_2025", "new_national_incubators"]  # targets first
    assert {"national_park_2025", "T04", "T10", "P01", "P04", "P05"} <= set(ids) and "hightech_firms_2025" not in ids
    assert [x["kind"] for x in lines].index("project") > [x["kind"] for x in lines].index("task")
    park = lines[0]["text"]
    assert "需年均增长" in park and R.rate(by_id(mon).loc["park_output_2025", "growth_needed_pct"]) in park
    assert "区商务局" in next(x["text"] for x in lines if x["id"] == "T04")
    en = R.warning_lines(mon, "en")
    assert "needs growth of" in en[0]["text"] and "number" not in en[1]["text"]


def test_the_history_chart_names_each_level_by_icon_and_word(plan_data, docs):
    _, _, mon, hist = docs
    spec = R.history_chart(hist, "en")
    domain = spec["encoding"]["color"]["scale"]["domain"]
    assert domain == [R.warning_text(w, "en") for w in R.WARNINGS] and all(d[0] in "✔◐▲—" for d in domain)
    data = next(iter(spec["datasets"].values()))
    years = sorted({d["year"] for d in data})
    assert years == sorted(set(hist["year"])) and sum(d["n"] for d in data) == int((hist["kind"] == "numeric").sum())
    bullet = R.progress_chart(mon, "zh")
    assert bullet["layer"]


def test_html_is_self_contained(plan_data, docs):
    _, _, mon, hist = docs
    page = R.monitoring_html(plan_data, mon, "zh", "midterm", hist)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert '<html lang="zh-CN">' in page and page.count("<table") >= 5 and page.count("<svg") == 2


def test_docx_is_a4_with_east_asian_fonts(plan_data, docs):
    from docx import Document
    from docx.oxml.ns import qn

    _, _, mon, hist = docs
    doc = Document(io.BytesIO(R.monitoring_docx(plan_data, mon, "zh", "annual")))
    sec = doc.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    runs = [r for r in doc.element.body.iter(qn("w:r")) if r.find(qn("w:t")) is not None]  # not a picture's
    assert runs and all(r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) in ("SimSun", "SimHei")
                        for r in runs)


# -- LibreOffice prints every row -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(tmp_path_factory, plan_data, docs):
    import os
    import shutil

    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice and poppler-utils are required here (REQUIRE_LIBREOFFICE=1)")
        pytest.skip("LibreOffice not installed: apt-get install libreoffice-writer-nogui poppler-utils")
    _, _, mon, hist = docs
    folder = tmp_path_factory.mktemp("printed")
    out = {}
    for kind, lang in (("annual", "zh"), ("midterm", "en")):
        raw = R.monitoring_docx(plan_data, mon, lang, kind, hist)
        (folder / f"{kind}.docx").write_bytes(raw)
        out[(kind, lang)] = (raw, folder / f"{kind}.pdf")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(folder / "annual.docx"), str(folder / "midterm.docx")], check=True,
                   capture_output=True, timeout=300)
    return out


@pytest.mark.parametrize("key", [("annual", "zh"), ("midterm", "en")])
def test_libreoffice_prints_every_row_of_every_table(printed, key):
    from docx import Document

    from tests.test_evaluation_report import _docx_paragraph_texts, _pdf_text, _tokens

    raw, pdf = printed[key]
    got = _tokens(_pdf_text(pdf))
    want = _tokens("\n".join(_docx_paragraph_texts(raw)))
    tables = Document(io.BytesIO(raw)).tables
    assert len(tables) >= 4
    for i, t in enumerate(tables):
        last = " ".join(c.text for c in t.rows[-1].cells)
        missing = {k: v for k, v in _tokens(last).items() if got[k] < want[k]}
        assert not missing, (key, i, last, missing)
    missing = {k: (v, got[k]) for k, v in want.items() if got[k] < v}
    assert not missing, missing


# -- the command line ------------------------------------------------------------------------------------------

def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model", *map(str, args)], cwd=REPO, capture_output=True, text=True,
                          timeout=240)


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name != MARKER}


def test_cli_template_import_and_monitor_with_report(tmp_path):
    tpl = tmp_path / "tpl"
    r = cli("tasks", "--template", "--out", tpl, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert names(tpl) == {"tasks-template.csv", "tasks-template.xlsx"}
    head = tpl.joinpath("tasks-template.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    assert head.startswith("Task ID,Type,Programme")
    imp = tmp_path / "imp"
    r = cli("tasks", "--import", FIX / "tasks.csv", "--out", imp, "--save", "台账", "--db", tmp_path / "lib.db",
            "--author", "规划科")
    assert r.returncode == 0, r.stderr
    assert names(imp) == {"tasks.csv"} and "saved '台账' v1" in r.stdout
    out = tmp_path / "out"
    r = cli("monitor", "--actuals", FIX / "actuals.csv", "--tasks", imp / "tasks.csv", "--projects", PROJECTS,
            "--out", out, "--report")
    assert r.returncode == 0, r.stderr
    assert names(out) == set(R.CSV_FILES) | set(R.REPORT_FILES[("annual", "zh")])
    r = cli("monitor", "--actuals", FIX / "actuals.csv", "--year", "2022", "--on-track", "90", "--watch", "60",
            "--out", out, "--report", "midterm", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert names(out) == set(R.CSV_FILES) - {"monitoring_projects.csv"} | set(R.REPORT_FILES[("midterm", "en")])  # no project report
    assert "on track" in r.stdout.lower() and "正常" not in r.stdout  # the console speaks the chosen language
    rows = list(csv.DictReader(io.StringIO(out.joinpath("monitoring.csv").read_bytes().decode("utf-8-sig"))))
    assert {r["year"] for r in rows} == {"2022"}
    # comparators as the evaluation writes them (issue 22): no cell needs the formula guard
    assert {r["comparator"] for r in rows} <= {"＝", "＞", "≥", "≤", "≈", "qual", ""}, {r["comparator"] for r in rows}
    assert not any(v[:2] in ("'=", "'+", "'-", "'@") for r in rows for v in r.values() if v)  # no guard needed
    assert "90%" in out.joinpath("midterm-report.html").read_text(encoding="utf-8")
    # --fit: the trend the report states, and the flag each row carries
    r = cli("monitor", "--actuals", FIX / "actuals.csv", "--fit", "regression", "--out", out, "--report", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "least-squares" in out.joinpath("monitoring-report.html").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(out.joinpath("monitoring.csv").read_bytes().decode("utf-8-sig"))))
    assert any("regression" in r["flags"] for r in rows)


@pytest.mark.parametrize("args, where", [
    (("monitor", "--actuals", "{bad}", "--out", "{out}"), "bad.csv:2:indicator_id"),
    (("monitor", "--actuals", "{fix}", "--tasks", "{badtasks}", "--out", "{out}"), "t.csv:2:progress"),
    (("monitor", "--actuals", "{fix}", "--year", "1999", "--out", "{out}"), "--year"),
    (("monitor", "--actuals", "{fix}", "--watch", "99", "--out", "{out}"), "--watch"),
    (("monitor", "--actuals", "{fix}", "--on-track", "abc", "--out", "{out}"), "--on-track"),
    (("monitor", "--actuals", "{fix}", "--fit", "spline", "--out", "{out}"), "--fit"),
    (("monitor", "--out", "{out}"), "--actuals"),
    (("monitor", "--actuals", "{missing}", "--out", "{out}"), "no such file"),
    (("tasks", "--import", "{badtasks}", "--out", "{out}"), "t.csv:2:deadline"),
    (("tasks", "--template", "--save", "x", "--out", "{out}"), "--save"),
    (("tasks", "--out", "{out}"), "--template"),
])
def test_cli_bad_input_exits_2_one_line_each_writes_nothing(tmp_path, args, where):
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator_id,year,value,unit,measure,source,note\nnope,2022,1,亿元,总产值,,\n", encoding="utf-8")
    badtasks = tmp_path / "t.csv"
    badtasks.write_text("task_id,lead_unit,support_units,deadline,progress,evidence,updated_by,updated_at\n"
                        "T01,,,2023-02-30,快,,,\n", encoding="utf-8")
    out = tmp_path / "out"
    fill = dict(out=out, bad=bad, badtasks=badtasks, fix=FIX / "actuals.csv", missing=tmp_path / "nope.csv")
    r = cli(*[a.format(**fill) for a in args])
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert where in r.stderr
    assert not out.exists()


def test_cli_evaluate_takes_the_register_for_the_qualitative_targets(tmp_path):
    out = tmp_path / "ev"
    r = cli("evaluate", "--actuals", FIX / "actuals.csv", "--tasks", FIX / "tasks.csv", "--out", out)
    assert r.returncode == 0, r.stderr
    rows = {x["indicator_id"]: x for x in csv.DictReader(io.StringIO(
        out.joinpath("evaluation.csv").read_bytes().decode("utf-8-sig")))}
    assert rows["national_park_2025"]["status"] == "未完成" and rows["world_rail_leading_zone_2025"]["status"] == "未完成"
    r = cli("evaluate", "--template", "--tasks", FIX / "tasks.csv", "--out", tmp_path / "t")
    assert r.returncode == 2 and "--template" in r.stderr


def test_cli_refuses_a_foreign_folder(tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    r = cli("monitor", "--actuals", FIX / "actuals.csv", "--out", foreign)
    assert r.returncode == 2 and "nothing was written" in r.stderr and "Traceback" not in r.stderr
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]


def test_numbers_in_the_csv_are_finite(plan_data, docs):
    _, _, mon, _ = docs
    num = mon.targets.select_dtypes("number")
    assert all(math.isfinite(v) for v in num.to_numpy().ravel() if v == v)


def test_a_count_still_to_add_is_said_as_a_whole_number_over_the_years_left():
    """1 incubator still to add in 2 years reads 2年内需再增加1家, never 需年均增加0.5家; money keeps its rate a year."""
    from hypothesis import given, strategies as st

    rec = {"unit": "家", "increase_needed": 0.5, "growth_needed_pct": None, "year": 2025, "actual_year": 2023}
    assert R.need_text(rec, "zh") == "2年内需再增加1家"
    assert R.need_text(rec, "en") == "needs 1 more within 2 years"
    assert R.need_text(rec | {"actual_year": 2024, "increase_needed": 1.0}, "zh") == "需年均增加1家"
    assert R.need_text(rec | {"unit": "亿元"}, "zh").startswith("需年均增加")

    @given(st.integers(0, 500), st.integers(1, 500), st.integers(2015, 2024), st.integers(1, 10))
    def check(actual, more, ay, left):
        r = {"unit": "个", "growth_needed_pct": None, "year": ay + left, "actual_year": ay,
             "increase_needed": more / left}
        text = R.need_text(r, "zh")
        if left > 1:
            assert text == f"{left}年内需再增加{more:,}个", text
        else:
            assert text == f"需年均增加{more:,}个", text

    check()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_project_past_its_end_year_without_a_status_is_explained_by_its_money(lang):
    """No report gave the project's status: its line says so and shows the money, never "now —"."""
    from model.calc import monitoring as M
    from model.report import monitoring_report as R

    r = M.project_warning({2021: 2.0, 2022: 2.0}, [(2021, 1.0, ""), (2022, 1.0, "")], 2021, 2022, 2024)
    rec = {"project_id": "P01", "name_zh": "某项目", "name_en": "A project", "owner": "", "start_year": 2021,
           "end_year": 2022, **r, "flags": ";".join(r["flags"])}
    line = R.project_line(rec, lang)
    assert ("未报送建设状态" if lang == "zh" else "no status reported") in line
    assert "—" not in line and ("50.0%" in line or "50%" in line), line


@pytest.mark.parametrize("lang, words", [("zh", "年均下降2.20%"), ("en", "decline of 2.20%")])
def test_a_falling_trend_is_said_as_a_decline_not_a_negative_growth(lang, words):
    """公文 writes 年均下降2.20%, not 年均增长-2.20%."""
    text = R.trend_text({"trend_growth_pct": -2.2, "unit": "亿元"}, lang)
    assert words in text and "-" not in text and "−" not in text
    assert "2.20%" in R.trend_text({"trend_growth_pct": 2.2, "unit": "亿元"}, lang)
    need = R.need_text({"growth_needed_pct": -4.65, "unit": "吨标准煤/万元"}, lang)
    assert ("年均下降4.65%" if lang == "zh" else "decline of 4.65%") in need and "-" not in need


def test_monitor_follows_the_road_lists_totals_from_the_road_reports(tmp_path):
    """The format README: the road annex's totals are targets the monitoring follows like others; but `monitor`
    took no road reports and graded them 无法评估 always, while `evaluate --roads` graded them from the same file.
    `monitor --roads` (and the page, from the session's road report) takes them as the evaluation does."""
    import csv as _csv

    fix = REPO / "tests/fixtures/actuals"
    status = {}
    for name, extra in (("without", ()), ("with", ("--roads", fix / "roads.csv"))):
        done = cli("monitor", "--actuals", fix / "actuals.csv", *extra, "--out", tmp_path / name)
        assert done.returncode == 0, done.stderr
        with open(tmp_path / name / "monitoring.csv", encoding="utf-8-sig") as f:
            rows = list(_csv.DictReader(f))
        status[name] = {r["indicator_id"]: r for r in rows if r["indicator_id"].startswith("annex2_total")}
    assert status["without"] and all(r["actual"] in ("", None) for r in status["without"].values())
    assert all(r["actual"] not in ("", None) for r in status["with"].values()), status["with"]


def test_the_plans_monitoring_indicators_are_in_the_annual_monitoring(tmp_path):
    """Indicators the plan tracks every year without a target (kind monitoring) appeared only in the evaluation's
    files: the annual monitoring lists their figures up to its year (not graded), in monitoring_indicators.csv."""
    import csv as _csv

    src = (REPO / "tests/fixtures/actuals/actuals.csv").read_text(encoding="utf-8-sig")
    lines = src.rstrip("\n").split("\n")
    cols = lines[0].split(",")
    extra = []
    for year, value in ((2022, "30.5"), (2024, "33.0")):
        rec = dict.fromkeys(cols, "")
        rec.update({"indicator_id": "tax_per_mu", "year": str(year), "value": value, "unit": "万元/亩",
                    "measure": "亩均税收", "source": "test"})
        extra.append(",".join(rec[c] for c in cols))
    path = tmp_path / "a.csv"
    path.write_text("\n".join(lines + extra) + "\n", encoding="utf-8")
    done = cli("monitor", "--actuals", path, "--year", 2023, "--out", tmp_path / "o")
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "o" / "monitoring_indicators.csv", encoding="utf-8-sig") as f:
        rows = [r for r in _csv.DictReader(f) if r["indicator_id"] == "tax_per_mu"]
    assert [(r["year"], r["actual"]) for r in rows] == [("2022", "30.5")], rows  # 2024 is after the year monitored


@settings(max_examples=100, deadline=None)
@given(st.floats(0.001, 1e6, allow_nan=False), st.floats(0.001, 1e6, allow_nan=False),
       st.sampled_from(["亿元", "万元", "%", "吨标准煤/万元", "m"]))
def test_a_figure_that_is_not_the_target_never_prints_as_the_target(v, target, unit):
    """0.4529 printed 0.45 beside ≤0.45 (graded as a miss, read as on target)."""
    from model.report.evaluation_report import value
    from model.report.monitoring_report import apart

    text = apart(v, target, unit)
    if abs(v - target) > 1e-4 * max(abs(target), 1.0):
        assert text != value(target, unit), (v, target, text)


def test_a_report_of_the_target_year_says_so_and_asks_for_no_growth_a_year(plan_data):
    """Monitoring the target year itself, the report read 距规划目标年还有0年 and, per target, 还有0年，需年均增长123.60%."""
    from model.calc.monitoring import history, history_years, monitor
    from model.io.actuals import ActualsSet

    aset = ActualsSet.from_path(REPO / "tests/fixtures/actuals/actuals.csv", plan_data)
    mon = monitor(plan_data, aset, plan_data.calendar.target_year)
    hist = history(plan_data, aset, history_years(plan_data, aset, mon.year))
    for lang, bad in (("zh", "还有0年"), ("en", "Years left: 0")):
        text = " ".join(str(getattr(b, "text", "")) for b in R.report_blocks(plan_data, mon, lang, "annual", hist))
        assert bad not in text, text[:400]
    zh = " ".join(str(getattr(b, "text", "")) for b in R.report_blocks(plan_data, mon, "zh", "annual", hist))
    assert "即规划目标年" in zh


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_in_the_target_year_a_target_missed_is_said_as_missed_not_as_a_forecast(lang):
    """Monitoring 2025 (the target year) read "预计2025年为1,050.0亿元（目标1,400亿元），已无剩余年份" and "按现有趋势
    难以按期完成": the year's figure is the outcome. Its warning line and problem say what it is and that the target
    was not met; a year before the target keeps the forecast."""
    from model import load_plan_data

    data = load_plan_data()
    aset = ActualsSet.from_path(REPO / "tests" / "fixtures" / "nextplan" / "actuals-23.csv", data)
    due = monitor(data, aset)
    assert due.year == data.calendar.target_year
    lines = [x["text"] for x in R.warning_lines(due, lang) if x["kind"] == "target"]
    assert lines and not any(tr("mon.need.none", lang) in x for x in lines), lines
    recs = due.targets[(due.targets["warning"] == WARNING) & (due.targets["kind"] == "numeric")]
    for rec in recs.to_dict(orient="records"):
        assert any(R.amount(rec["actual"], rec["unit"], lang) in x for x in lines), (rec["indicator_id"], lines)
    probs = R.problems(due, lang)
    names = R._join([R._name(r, lang) for r in recs.to_dict(orient="records")], lang)
    assert tr("mon.p.warning", lang, n=len(recs), items=names) not in probs, probs
    assert tr("mon.p.warning_due", lang, n=len(recs), items=names) in probs, probs
    early = monitor(data, aset, data.calendar.target_year - 1)
    assert all(tr("mon.line.target_due", lang, name="", year="", actual="", target="")[2:6] not in x["text"]
               for x in R.warning_lines(early, lang)) or not R.warning_lines(early, lang)


def test_the_register_paragraph_counts_targets_and_tasks_apart():
    """'任务台账（编号：—）共124项' beside '重点任务57项' read as two counts of one thing, with a dash like 一: the
    paragraph names the two kinds and says when no register is loaded."""
    from model import load_plan_data

    data = load_plan_data()
    mon = monitor(data, ActualsSet.from_path(REPO / "tests" / "fixtures" / "nextplan" / "actuals-23.csv", data))
    k = mon.tasks
    tasks = int((k["kind"] == "task").sum())
    text = " ".join(b.text for b in R.report_blocks(data, mon, "zh") if b.kind == "p")
    assert tr("mon.s4.register_none", "zh", n=len(k), targets=len(k) - tasks, tasks=tasks,
              reported=int((k["progress"] != "").sum())) in text
    assert "编号：—" not in text


def test_a_base_on_another_measure_is_marked_in_the_monitoring_as_in_the_evaluation():
    """The evaluation marked the rail base (975) § as on another measure, indicative only; the monitoring graded a
    warning from the same base with no mark. Its row carries § and the note says what it means."""
    from model import load_plan_data

    data = load_plan_data()
    mon = monitor(data, ActualsSet.from_path(REPO / "tests" / "fixtures" / "nextplan" / "actuals-23.csv", data))
    flagged = mon.targets[mon.targets["flags"].str.contains("baseline_measure")]
    assert len(flagged)
    blocks = R.report_blocks(data, mon, "zh")
    table = next(b for b in blocks if b.kind == "table" and b.head[0] == tr("eval.col.indicator", "zh")
                 and tr("mon.col.ap", "zh") in b.head)
    for rec in flagged.to_dict(orient="records"):
        assert any(row[0].startswith(R._name(rec, "zh")) and "§" in row[0] for row in table.items), rec
    assert any(b.kind == "note" and tr("mon.flag.base_measure", "zh") in b.text for b in blocks)
