"""model/io/tasks.py and data/tasks.csv: the programmes and key tasks quote the plan inside their sections; the
register's template round-trips in both languages (CSV and .xlsx); bad files list every problem as
``file:row:column``; canonical text and short ID; the library keeps versions; the register grades the evaluation's
qualitative targets."""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from model.calc.evaluation import MET, NOT_MET, QUAL_PENDING, evaluate
from model.io import tasks as T
from model.io.actuals import QUALITATIVE, ActualsSet
from model.plan.tables import DataError, load_plan_data
from tests.conftest import PLAN_TEXT, REPO
from tests.test_data_health import _norm, _plan_text, _section_spans


def rows_of_file() -> list[dict]:
    from model.plan.tables import DATA_DIR

    return list(csv.DictReader(io.StringIO((DATA_DIR / T.TASKS_FILE).read_text(encoding="utf-8"))))


# -- data/tasks.csv -----------------------------------------------------------------------------------------------

def test_every_task_quote_is_the_plans_text_inside_its_section():
    body, spans = _section_spans(_plan_text())
    text = _norm(_plan_text())
    wrong = []
    for r in rows_of_file():
        assert r["quote_kind"] == "verbatim" and "……" not in r["quote"], r["task_id"]
        if _norm(r["quote"]) not in text:
            wrong.append((r["task_id"], "not in the plan", r["quote"]))
            continue
        start, end = spans[r["section_id"]]
        if body.find(_norm(r["quote"]), start, end) < 0:
            wrong.append((r["task_id"], r["section_id"], r["quote"]))
    assert not wrong


def test_the_six_programmes_are_the_plans_own_and_every_task_belongs_to_one(plan_data):
    rows = rows_of_file()
    progs = [r for r in rows if r["kind"] == T.PROGRAMME]
    assert len(progs) == 6
    text = PLAN_TEXT.read_text(encoding="utf-8") if PLAN_TEXT.exists() else None  # the plan beside the repo
    for p in progs:
        assert p["name_zh"] in p["quote"] and (text is None or p["name_zh"] in text)
    ids = {p["task_id"] for p in progs}
    tasks = [r for r in rows if r["kind"] == T.TASK]
    assert tasks and all(r["programme"] in ids for r in tasks)
    assert {r["programme"] for r in tasks} == ids  # no programme without a key task
    assert all(r["name_zh"] and r["name_en"] and r["section_id"] in set(plan_data.sections["section_id"])
               for r in rows)


def test_a_lead_unit_only_where_the_plan_names_it(plan_data):
    leads = [r for r in rows_of_file() if r["lead_unit"]]
    assert leads and all(r["lead_unit"] in r["quote"] for r in leads)
    assert T.key_tasks(plan_data) == [{**r, "n": n} for n, r in enumerate(rows_of_file(), start=2)]


def test_the_register_holds_every_qualitative_target_and_every_key_task(plan_data):
    ind = plan_data.indicators
    quals = list(ind.loc[(ind["kind"] == "target") & (ind["comparator"] == "qual"), "indicator_id"])
    e = T.entries(plan_data)
    assert [x["task_id"] for x in e if x["kind"] == T.TARGET] == quals
    assert len([x for x in e if x["kind"] == T.TASK]) == len([r for r in rows_of_file() if r["kind"] == T.TASK])
    assert len({x["task_id"] for x in e}) == len(e)  # ids never collide


def test_a_data_folder_without_tasks_has_only_the_qualitative_targets(data_copy):
    (data_copy / T.TASKS_FILE).unlink()
    data = load_plan_data(data_copy)
    assert T.key_tasks(data) == [] and all(x["kind"] == T.TARGET for x in T.entries(data))


def test_a_broken_tasks_file_names_file_row_and_column(data_copy):
    text = (data_copy / T.TASKS_FILE).read_text(encoding="utf-8").splitlines()
    text.append("T99,task,G9,名称,name,9.9,引文,verbatim,某单位,")
    (data_copy / T.TASKS_FILE).write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        T.key_tasks(load_plan_data(data_copy))
    n = len(text)
    assert {f"tasks.csv:{n}:section_id", f"tasks.csv:{n}:lead_unit", f"tasks.csv:{n}:programme"} <= {
        ":".join(p.split(":")[:3]) for p in exc.value.problems}



def test_english_names_and_the_optional_columns_may_be_left_out(data_copy):
    """English is optional everywhere else in a package: tasks.csv refused an empty name_en (and a file without the
    column) although the format did not say it was required. The English documents show the Chinese name."""
    path = data_copy / T.TASKS_FILE
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    keep = [c for c in T.TASKS_FILE_COLUMNS if c not in T.TASKS_OPTIONAL]
    buf = io.StringIO()
    w = csv.DictWriter(buf, keep, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    got = T.key_tasks(load_plan_data(data_copy))
    assert len(got) == len(rows) and all(r["name_en"] == r["name_zh"] and not r["lead_unit"] for r in got)

# -- the register file ------------------------------------------------------------------------------------------

def filled(plan_data, lang: str) -> pd.DataFrame:
    """The template in ``lang`` with the first eight entries given a progress word (each word twice) and the first
    one every other cell."""
    df = T.template_table(plan_data, lang)
    col = list(T.TEMPLATE_COLUMNS).index
    for i in range(8):
        df.iloc[i, col("progress")] = T.progress_label(T.PROGRESS[i % 4], lang)
    df.iloc[0, col("lead_unit")] = "区发改局"
    df.iloc[0, col("deadline")] = "2024-06-30"
    df.iloc[0, col("evidence")] = '=HYPERLINK("http://x")'
    df.iloc[0, col("updated_at")] = "2024-03-01 09:30"
    return df


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_filled_template_loads_back_in_either_language_csv_and_xlsx(plan_data, lang):
    from model.io.export import csv_bytes

    df = filled(plan_data, lang)
    reg = T.TaskRegister.from_bytes(csv_bytes(df), "t.csv", plan_data)
    assert len(reg) == 8 + 2  # eight with progress, two key tasks with the lead unit the plan names
    first = reg.by_id()[df.iloc[0, 0]]
    assert first["lead_unit"] == "区发改局" and first["deadline"] == "2024-06-30" and first["progress"] == T.NOT_STARTED
    assert first["evidence"].startswith("'=")  # a formula never runs in a spreadsheet
    assert first["updated_at"] == "2024-03-01 09:30"
    xlsx = T.TaskRegister.from_bytes(T.template_xlsx(df, lang), "t.xlsx", plan_data)
    assert xlsx == reg and xlsx.short_id == reg.short_id
    other = "en" if lang == "zh" else "zh"
    assert T.TaskRegister.from_frame(T.template_table(plan_data, other, reg), plan_data) == reg


def test_canonical_text_reads_back_equal(plan_data):
    from model.io.export import csv_bytes

    reg = T.TaskRegister.from_bytes(csv_bytes(filled(plan_data, "zh")), "t.csv", plan_data)
    again = T.TaskRegister.from_bytes(reg.to_csv_bytes(), "again.csv", plan_data)
    assert again == reg and T.TaskRegister.from_text(reg.to_csv_text()) == reg
    assert reg.to_csv_text().splitlines()[0] == ",".join(T.REGISTER_COLUMNS)
    assert len(reg.short_id) == 8 and reg.to_csv_bytes().startswith(b"\xef\xbb\xbf")


HEAD = ",".join(T.REGISTER_COLUMNS)
BAD = {
    "unknown_id": (f"{HEAD}\nnope,,,,推进中,,,\n", [":2:task_id"]),
    "bad_progress": (f"{HEAD}\nT01,,,,快完成了,,,\n", [":2:progress"]),
    "duplicate": (f"{HEAD}\nT01,,,,推进中,,,\nT01,,,,已完成,,,\n", [":3:task_id"]),
    "bad_date": (f"{HEAD}\nT01,,,明年,推进中,,,\n", [":2:deadline"]),
    "no_such_date": (f"{HEAD}\nT01,,,2023-02-30,推进中,,,\n", [":2:deadline"]),
    "out_of_range": (f"{HEAD}\nT01,,,2099-01-01,推进中,,,\n", [":2:deadline"]),
    "time_in_deadline": (f"{HEAD}\nT01,,,2023-02-03 10:00,推进中,,,\n", [":2:deadline"]),
    "bad_update": (f"{HEAD}\nT01,,,,推进中,,,2023-13-01\n", [":2:updated_at"]),
    "missing_column": ("task_id,progress\nT01,推进中\n", [":1:lead_unit", ":1:updated_at"]),
    "unknown_column": (f"{HEAD},remark\n", [":1:remark"]),
    "duplicate_column": (f"{HEAD},进展\n", [":1:progress"]),
    "more_cells": (f"{HEAD}\nT01,,,,推进中,,,,,x\n", [":2:-"]),
    "no_id": (f"{HEAD}\n,,,,推进中,,,\n", [":2:task_id"]),
    "everything_at_once": (f"{HEAD}\nnope,,,,快,,,\nT01,,,2023-02-30,推进中,,,\n",
                           [":2:task_id", ":2:progress", ":3:deadline"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_registers_name_file_row_and_column(plan_data, case):
    text, wheres = BAD[case]
    with pytest.raises(DataError) as exc:
        T.TaskRegister.from_bytes(text.encode("utf-8"), "bad.csv", plan_data)
    got = "\n".join(exc.value.problems)
    for where in wheres:
        assert f"bad.csv{where}" in got, got
    assert "Traceback" not in got


@pytest.mark.parametrize("text, expected", [
    ("2023", "2023"), ("2023-6", "2023-06"), ("2023/06/30", "2023-06-30"), ("2023.6.3", "2023-06-03"),
    ("2023年", "2023"), ("2023年6月", "2023-06"), ("2023年6月30日", "2023-06-30"),
    ("2023-06-30T00:00:00", "2023-06-30"), ("２０２３－０６－３０", "2023-06-30"),
])
def test_dates_are_read_as_offices_write_them(text, expected):
    assert T.parse_date(text) == expected


def test_english_progress_words_and_blank_template_rows(plan_data):
    text = f"{HEAD}\nT01,,,,Under way,,,\nT02,,,,,,,\n"
    reg = T.TaskRegister.from_bytes(text.encode("utf-8"), "en.csv", plan_data)
    assert reg.rows == (("T01", "", "", "", T.UNDER_WAY, "", "", ""),)


def test_an_empty_or_binary_file_is_a_message(plan_data):
    for raw in (b"", b"\x00\x01" * 10):
        with pytest.raises(DataError) as exc:
            T.TaskRegister.from_bytes(raw, "x.csv", plan_data)
        assert exc.value.problems[0].startswith("x.csv:")


# -- the library ------------------------------------------------------------------------------------------------

def test_the_library_keeps_every_version_with_its_writer(tmp_path, plan_data):
    from model.io.library import Library, LibraryError

    reg1 = T.TaskRegister.from_bytes(f"{HEAD}\nT01,,,,推进中,,,\n".encode(), "a.csv", plan_data)
    reg2 = T.TaskRegister.from_bytes(f"{HEAD}\nT01,,,,已完成,,,\n".encode(), "b.csv", plan_data)
    with Library(tmp_path / "lib.db") as lib:
        v1 = lib.save_document("tasks", "台账", reg1.to_csv_text(), "规划科", "初稿")
        v2 = lib.save_document("tasks", "台账", reg2.to_csv_text(), "规划科", "更新")
        assert (v1.version, v2.version) == (1, 2) and v2.short_id == reg2.short_id
        assert T.TaskRegister.from_text(lib.get("台账", kind="tasks").content) == reg2
        assert [e.action for e in lib.log(kind="tasks")] == ["save", "save"]
        with pytest.raises(LibraryError):
            lib.save_document("tasks", "坏", "task_id,progress\nT01,快\n")


# -- grades for the evaluation ------------------------------------------------------------------------------------

def test_an_imported_register_changes_the_qualitative_counts(plan_data):
    ind = plan_data.indicators
    quals = list(ind.loc[(ind["kind"] == "target") & (ind["comparator"] == "qual"), "indicator_id"])
    actuals = ActualsSet.from_frame(pd.DataFrame([{
        "indicator_id": quals[0], "year": plan_data.calendar.target_year, "value": None, "unit": "",
        "measure": QUALITATIVE, "source": "synthetic", "note": "已完成"}]), plan_data)
    before = evaluate(plan_data, actuals).counts()
    text = f"{HEAD}\n{quals[0]},某局,,,滞后,,,\n{quals[1]},,,,已完成,,,\n{quals[2]},,,,未启动,,,\nT01,,,,已完成,,,\n"
    reg = T.TaskRegister.from_bytes(text.encode("utf-8"), "r.csv", plan_data)
    ev = evaluate(plan_data, actuals, tasks=reg)
    after = ev.counts()
    assert before[MET] == 1 and before[QUAL_PENDING] == len(quals) - 1
    assert after[MET] == 1 and after[NOT_MET] - before[NOT_MET] == 2 and after[QUAL_PENDING] == len(quals) - 3
    assert ev.actuals_id == actuals.short_id  # the evaluation still names the actuals file it was given
    row = ev.indicators.set_index("indicator_id").loc[quals[0]]
    assert row["status"] == NOT_MET and row["note"] == T.UNDER_WAY and row["source"] == "tasks"
    lag = T.lagging(reg, plan_data)
    assert [(x["task_id"], x["lead_unit"]) for x in lag] == [(quals[0], "某局")]
    grades = T.qualitative_grades(reg, plan_data)
    assert {r[0] for r in grades.rows} == set(quals[:3])  # key tasks are not evaluation targets


def test_register_text_goes_through_the_one_cleaner(plan_data):
    """Control, bidi and zero-width characters never reach the register (nor its documents); evidence keeps its
    line breaks."""
    from model.io.export import csv_bytes

    df = filled(plan_data, "zh")
    col = list(T.TEMPLATE_COLUMNS).index
    df.iloc[0, col("lead_unit")] = "区\u202e发改\x07局\u200b"
    df.iloc[0, col("evidence")] = "会议纪要\x1b第3期\n现场照片"
    reg = T.TaskRegister.from_bytes(csv_bytes(df), "t.csv", plan_data)
    first = reg.by_id()[df.iloc[0, 0]]
    assert first["lead_unit"] == "区发改局" and first["evidence"] == "会议纪要第3期\n现场照片"


@pytest.mark.parametrize("year", [2021, 2023, 2030])
def test_a_deadline_a_spreadsheet_may_have_cut_from_october_is_refused_not_read_as_january(year):
    """2023.10 typed in a number cell is kept (and saved to CSV) as 2023.1, which read as January: nine months
    early. Only that form is ambiguous; every other month, and January written any other way, reads as before."""
    with pytest.raises(ValueError, match="January or October"):
        T.parse_date(f"{year}.1")
    assert T.parse_date(f"{year}.10") == f"{year}-10" and T.parse_date(f"{year}.01") == f"{year}-01"
    assert [T.parse_date(f"{year}.{m}") for m in range(2, 10)] == [f"{year}-{m:02d}" for m in range(2, 10)]
    assert T.parse_date(f"{year}-1") == T.parse_date(f"{year}年1月") == f"{year}-01"


@pytest.mark.parametrize("how", ["outside", "fifo", "folder", "large"])
def test_the_packages_tasks_file_is_read_under_the_packages_rules(tmp_path, how):
    """tasks.csv was read with a plain read_bytes: a link to /etc/passwd printed its first line in the check, a
    50 MB file was read whole, a pipe was taken for no file (the register vanished, the check passed). It is read
    as every package file is: each refused, naming the file, by the check and the register alike."""
    import os

    from model.calc.plancheck import check_plan
    from model.plan.tables import DataError, load_plan_data
    from tests.plans_support import PACKAGES, copy_package

    folder = copy_package(PACKAGES["default"], tmp_path / "p")
    target = folder / "tasks.csv"
    target.unlink()
    if how == "outside":
        secret = tmp_path / "secret.csv"
        secret.write_text("root:x:0:0\n", encoding="utf-8")
        target.symlink_to(secret)
    elif how == "fifo":
        os.mkfifo(target)
    elif how == "folder":
        target.mkdir()
    else:
        target.write_bytes(b"task_id\n" + b"x" * 5_100_000 + b"\n")
    data = load_plan_data(folder)
    problems = check_plan(data)
    assert problems and problems[0].startswith("tasks.csv:-:-:") and "root:x" not in " ".join(problems), problems
    with pytest.raises(DataError):
        T.key_tasks(data)
