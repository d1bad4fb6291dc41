"""``python -m model mujun`` run as users run it (subprocess): templates, an evaluation with and without the report,
a method file, the library, and every failure mode (exit 2, one line per problem, nothing written, no traceback).
The enterprises are synthetic (tests/mujun_support.py) in the plan's own areas, read from the plan's data."""
from __future__ import annotations

import csv
import io

import pytest

from model.calc.mujun import Method, plan_inputs
from model.io.files import MARKER
from model.report.mujun_report import REPORT_FILES, TEMPLATE_FILES, WORKBOOK_NAME
from tests.mujun_support import synthetic
from tests.test_cli import cli


@pytest.fixture(scope="module")
def firms(tmp_path_factory, plan_data):
    """A synthetic enterprise file in the plan's areas, with Chinese headers."""
    _, areas = plan_inputs(plan_data)
    names = list(areas)
    df = synthetic(80, seed=31)
    df["area"] = [names[i % len(names)] for i in range(len(df))]
    path = tmp_path_factory.mktemp("in") / "企业.csv"
    df.rename(columns={"name": "企业名称", "area": "片区", "land_mu": "用地面积（亩）"}).to_csv(
        path, index=False, encoding="utf-8-sig")
    return path


def files_in(folder) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name != MARKER}


def test_template_writes_both_templates(tmp_path):
    r = cli("mujun", "--template", "--out", tmp_path / "t", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert files_in(tmp_path / "t") == set(TEMPLATE_FILES)
    head = (tmp_path / "t" / "enterprises-template.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("Enterprise name,Unified social credit code,Area,Scale")


def test_an_evaluation_writes_the_csvs_the_workbook_and_the_report(tmp_path, firms):
    out = tmp_path / "out"
    r = cli("mujun", "--enterprises", firms, "--out", out, "--report")
    assert r.returncode == 0, r.stderr
    assert files_in(out) == {"mujun_enterprises.csv", "mujun_areas.csv", "mujun_industries.csv",
                             "mujun_references.csv", "mujun_method.csv", WORKBOOK_NAME["zh"], *REPORT_FILES["zh"]}
    rows = list(csv.DictReader(io.StringIO((out / "mujun_enterprises.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 80 and "enterprises ID" in r.stdout
    for name in (row["name"] for row in rows):
        assert name not in r.stdout + r.stderr  # nothing of the firms on the console
    base = {row["metric"]: row for row in csv.DictReader(io.StringIO(
        (out / "mujun_areas.csv").read_text(encoding="utf-8-sig"))) if row["group"] == "全部企业"}
    assert base["tax_per_mu_base"]["unit"] == "万元/亩" and float(base["tax_per_mu_base"]["value"]) > 0


def test_a_method_file_and_english(tmp_path, firms):
    m = tmp_path / "m.json"
    m.write_text(Method(name="仅税收", weights_above={"tax_per_mu": 100.0}).to_json(), encoding="utf-8")
    r = cli("mujun", "--enterprises", firms, "--method", m, "--out", tmp_path / "o", "--lang", "en")
    assert r.returncode == 0, r.stderr
    method = (tmp_path / "o" / "mujun_method.csv").read_text(encoding="utf-8-sig")
    assert "weight.above.tax_per_mu,100," in method and "仅税收" in method
    assert WORKBOOK_NAME["en"] in files_in(tmp_path / "o")


def test_the_library_keeps_the_file_and_the_cli_reads_it_by_short_id(tmp_path, firms, plan_data):
    from model.io.enterprises import EnterpriseSet
    from model.io.library import Library

    _, areas = plan_inputs(plan_data)
    es = EnterpriseSet.from_path(firms, areas)
    db = tmp_path / "lib.db"
    with Library(db) as lib:
        lib.save_document("enterprises", "年度评价", es.to_csv_text(), "测试")
    r = cli("mujun", "--enterprises", es.short_id, "--db", db, "--out", tmp_path / "o")
    assert r.returncode == 0, r.stderr
    assert f"enterprises ID {es.short_id}" in r.stdout
    r = cli("scenarios", "list", "--kind", "enterprises", "--db", db)
    assert r.returncode == 0 and "年度评价" in r.stdout


def test_bad_input_exits_2_lists_every_problem_and_writes_nothing(tmp_path, firms):
    bad = tmp_path / "bad.csv"
    text = firms.read_text(encoding="utf-8-sig").splitlines()
    cells = text[1].split(",")
    cells[5] = "-4"  # land
    text[1] = ",".join(cells)
    bad.write_text("\n".join(text + [text[2]]), encoding="utf-8")
    land = tmp_path / "land.csv"
    land.write_text("地块编号,片区,低效用地类别,用地面积（亩）\nL1,火星片区,批而未供,3\n", encoding="utf-8")
    out = tmp_path / "out"
    r = cli("mujun", "--enterprises", bad, "--land", land, "--method", "nope", "--out", out)
    assert r.returncode == 2 and "Traceback" not in r.stderr and not out.exists()
    lines = r.stderr.splitlines()
    assert lines[0] == "error: invalid input; nothing was written"
    assert any(x.startswith("bad.csv:2:用地面积（亩）: negative land: -4") for x in lines)
    assert any(x.startswith(f"bad.csv:{len(text) + 1}:企业名称:") and "given twice" in x for x in lines)
    assert any(x.startswith("land.csv:2:片区: unknown value '火星片区'") for x in lines)
    assert any(x.startswith("--method: 'nope'") for x in lines)


@pytest.mark.parametrize("args, says", [
    ((), "give --enterprises FILE"),
    (("--template", "--report"), "--template writes the blank templates"),
    (("--enterprises", "missing.csv"), "missing.csv:-:-: no such file"),
])
def test_usage_errors_are_one_line(tmp_path, args, says):
    r = cli("mujun", *args, "--out", tmp_path / "o")
    assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "o").exists()


def test_a_folder_with_other_files_is_refused(tmp_path, firms):
    out = tmp_path / "o"
    out.mkdir()
    (out / "mine.txt").write_text("x")
    r = cli("mujun", "--enterprises", firms, "--out", out)
    assert r.returncode == 2 and "holds other files" in r.stderr and (out / "mine.txt").read_text() == "x"
