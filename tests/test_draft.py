"""The next plan becomes a plan (issue 24, item 5): model/plan/draft.py writes a next-plan scenario as a plan package
that loads like any plan, passes the whole check and runs its own projections, phasing, evaluation and monitoring,
for the default plan and plans of other shapes."""
from __future__ import annotations

import io
import zipfile

import pytest

from model import DataError, ScenarioError, load_plan_data, presets, run
from model.calc import nextplan as npn
from model.calc.evaluation import evaluate, plan_as_actuals
from model.calc.plancheck import check_plan
from model.io.actuals import ActualsSet
from model.io.lists import PlanList
from model.plan import draft
from model.plan.tables import read_csv_rows
from tests.conftest import REPO

FIX = REPO / "tests" / "fixtures" / "nextplan"
FOUR = REPO / "tests" / "plans" / "four-industries"
ONE = REPO / "tests" / "plans" / "one-segment"


def table(files: dict, name: str) -> list[dict]:
    header, rows = read_csv_rows(files[name], name)
    return [dict(zip(header, r + [""] * (len(header) - len(r)))) for r in rows]


def next_scenario(data, aset, year, targets=None, method="old_required"):
    """Rebase on ``year`` of ``aset``, targets by ``method`` (every segment), growth as they require."""
    base = npn.base_actuals(aset, data, year)
    s = npn.rebase(presets(data)["plan-targets"], base).with_(actuals_ref=aset.short_id)
    d = npn.derive_targets(s, data, method, base, complete=True)
    return npn.set_targets(s, {**d.values, **(targets or {})}), base


@pytest.fixture(scope="module")
def default_draft(plan_data):
    aset = ActualsSet.from_path(FIX / "actuals-23.csv", plan_data)
    s, base = next_scenario(plan_data, aset, 2025, {"total": 2300.0, "rail_transit": 1500.0})
    files = draft.draft_files(plan_data, s, base=base, other_targets={"hightech_firms_2025": 200},
                              actuals_label="终期评估")
    return s, base, aset, files


def test_the_default_plans_draft_loads_and_passes_the_whole_check(plan_data, default_draft):
    s, base, aset, files = default_draft
    assert {"plan.csv", "segments.csv", "indicators.csv", "plan_sections.csv", "areas.csv", "enumerations.csv",
            "presets.csv"} <= set(files)
    assert "projects.csv" not in files and "roads.csv" not in files  # the old lists are not the next plan's
    d = draft.load_draft(files)
    assert check_plan(d) == []
    assert d.id == f"{plan_data.id}-next" and d.meta.value("drafted_from") == plan_data.id and not d.is_default
    cal = d.calendar
    assert (cal.base_year, cal.target_year, cal.plan_first_year, cal.plan_last_year) == (2025, 2030, 2026, 2030)
    assert "（草案）" in d.name("zh") and "(draft)" in d.name("en") and "下一规划期" in d.name("zh")
    assert d.name("zh", "period") == plan_data.name("zh", "next_period")
    assert d.name("zh", "previous_period") == plan_data.name("zh", "period")
    assert d.segments.ids == plan_data.segments.ids  # the same tree
    assert (d.segment_base("total"), d.segment_base("rail_transit")) == (1520.0, 1050.0)
    assert (d.segment_target("total"), d.segment_target("rail_transit")) == (2300.0, 1500.0)


def test_the_drafts_rows_say_where_each_figure_comes_from(plan_data, default_draft):
    s, base, aset, files = default_draft
    d = draft.load_draft(files)
    for seg in ("total", "rail_transit"):
        b = d.segment_base_row(seg)
        assert b["kind"] == "baseline" and b["year"] == 2025 and b["measure"] == "总产值" and b["scope"] == "park"
        assert aset.short_id in b["quote"] and "实际数据" in b["quote"] and "终期评估" in b["quote"]
        t = d.segment_target_row(seg)
        assert t["kind"] == "target" and t["quote_kind"] == "composed" and t["year"] == 2030
        assert "用户设定" in t["quote"] and "草案" in t["quote"] and t["baseline_id"] == b["indicator_id"]
        sec = d.sections.set_index("section_id").loc[t["section_id"]]
        assert "用户设定" in sec["title_zh"] and "user-set" in sec["title_en"]
    other = d.indicator_row("hightech_firms_2030")
    assert (other["value"], other["unit"], other["kind"], other["year"]) == (200.0, "家", "target", 2030)
    assert "用户设定" in other["quote"]
    # output per mu from the actuals' monitoring row; land and tax per mu as the old plan's own rows
    mu = d.role_row("per_mu_base")
    assert (mu["value"], mu["year"], mu["kind"]) == (1400.0, 2025, "baseline")
    # taken on the row's scope (an empty cell: the plan's own), and said so: never "范围未注明"
    assert mu["scope"] == (plan_data.role_row("per_mu_base").get("scope") or plan_data.scope)
    assert "范围未注明" not in mu["quote"] and plan_data.label("scope", mu["scope"], "zh") in mu["quote"]
    land = d.role_rows("land_available")
    assert [r["value"] for r in land] == [r["value"] for r in plan_data.role_rows("land_available")]
    titles = d.sections.set_index("section_id")["title_zh"]
    assert all(titles[r["section_id"]].startswith("原规划") for r in land)
    # monitoring rows carried, aimed at the new target year, the per-mu one tied to the new base row
    mon = d.indicators[d.indicators["kind"] == "monitoring"]
    assert set(mon["indicator_id"]) == set(plan_data.indicators.loc[plan_data.indicators["kind"] == "monitoring",
                                                                    "indicator_id"])
    assert set(mon["year"]) == {2030}
    assert d.indicator_row("output_per_mu")["baseline_id"] == mu["indicator_id"]
    # nothing of the old plan's targets or public figures is passed off as the draft's
    assert not len(d.public_figures) and not d.has_indicator("park_output_2020")
    assert not any(r["year"] == 2025 and r["kind"] == "target" for r in d.indicators.to_dict(orient="records"))


def test_a_scenario_of_the_draft_runs_its_projection_phasing_evaluation_and_monitoring(default_draft):
    s, base, aset, files = default_draft
    d = draft.load_draft(files)
    p = presets(d)["plan-targets"]
    r = run(d, p)
    # the draft's own preset grows at what its targets require: the same rates as the scenario it came from
    assert p.growth["rail_transit"] == pytest.approx(s.growth["rail_transit"], rel=1e-12)
    assert p.growth["nonrail"] == pytest.approx(s.growth["nonrail"], rel=1e-12)
    assert r.projection.required["total"] == pytest.approx((2300 / 1520) ** 0.2 - 1, rel=1e-12)
    assert r.projection.output["total"] == pytest.approx(2300.0, rel=1e-9)
    assert not r.projection.targets.any_user_set  # in the draft they are the plan's own targets
    assert r.projects.matrix.sum() == 0.0
    ev = evaluate(d, *plan_as_actuals(d))
    assert len(ev.indicators)
    from model.calc.monitoring import monitor

    monitor(d, plan_as_actuals(d)[0], 2030)
    # and a draft of the draft: the next plan of the next plan loads as well
    base2 = npn.BaseActuals(2030, {"total": 2400.0, "rail_transit": 1600.0}, {"total": "总产值",
                                                                           "rail_transit": "总产值"},
                            {"total": "park", "rail_transit": "park"})
    s2 = npn.rebase(p, base2)
    s2 = npn.set_targets(s2, {"total": 3000.0, "rail_transit": 2000.0})
    d2 = draft.load_draft(draft.draft_files(d, s2, base=base2))
    assert d2.id == f"{d.id}-next" and d2.calendar.target_year == 2035 and check_plan(d2) == []


def test_the_four_industries_draft_with_a_new_project_list():
    data = load_plan_data(FOUR)
    aset = ActualsSet.from_path(FIX / "four-actuals.csv", data)
    s, base = next_scenario(data, aset, 2030, method="achieved")
    pl = PlanList.from_path(FIX / "four-projects.csv", "projects", data)
    files = draft.draft_files(data, s, {"projects": pl}, base=base, lang="en")
    assert "projects.csv" in files and "roads.csv" not in files
    d = draft.load_draft(files)
    assert check_plan(d) == []
    assert (d.calendar.base_year, d.calendar.target_year) == (2030, 2035)
    assert list(d.projects["project_id"]) == ["Y1", "Y2"] and d.meta.value("projects_annex")
    assert d.areas.ids == data.areas.ids
    # every segment with a target has one in the draft: the parts and the total that is their sum
    assert set(d.segments.with_targets) == set(data.segments.with_targets)
    assert d.segment_base("industry") is None  # still the sum of its parts
    b = d.segment_base_row("digital")
    assert b["kind"] == "baseline" and "actuals" in b["quote"]  # lang="en": the quotes in English
    r = run(d, presets(d)["plan-targets"])
    assert r.projects.matrix.sum() == pytest.approx(60.0)  # the plan-period money of the new list
    evaluate(d, *plan_as_actuals(d))


def test_the_one_segment_draft_and_a_draft_on_the_plans_own_calendar():
    data = load_plan_data(ONE)
    s = npn.set_targets(npn.with_target_year(presets(data)["plan-targets"], 2032), {"park": 260.0})
    d = draft.load_draft(draft.draft_files(data, s))
    assert check_plan(d) == [] and d.calendar.target_year == 2032
    row = d.segment_base_row("park")
    assert row["indicator_id"] == "revenue_2025" and row["quote"] == data.segment_base_row("park")["quote"]
    assert d.segment_target("park") == 260.0


def test_the_old_annexes_never_become_the_drafts_lists(plan_data, default_draft):
    s, base, aset, files = default_draft
    carried = draft.draft_files(plan_data, s.with_(carry_lists=True), base=base)
    assert "projects.csv" not in carried and "roads.csv" not in carried
    from model.io.lists import with_lists

    pl, rl = PlanList.from_path(FIX / "projects.csv"), PlanList.from_path(FIX / "roads.csv", "roads")
    d = draft.load_draft(draft.draft_files(with_lists(plan_data, pl, rl), s, base=base))  # lists the data carry
    assert list(d.projects["project_id"]) == pl.ids() and list(d.roads["road_id"]) == rl.ids()
    assert check_plan(d) == []
    r = run(d, presets(d)["plan-targets"])
    assert r.projects.total_in(2026, 2030) == pytest.approx(117.0)


def test_a_draft_that_would_not_work_is_refused_not_written(plan_data, default_draft):
    s, base, aset, files = default_draft
    above = s.targets.__class__({**s.targets, "rail_transit": 2500.0})  # a part above its whole
    with pytest.raises(ScenarioError, match="add up to"):  # no such scenario is made (its residual's target < 0)
        s.with_(targets=above)
    bad = s.with_(name="bad")
    object.__setattr__(bad, "targets", above)  # made anyway: the draft's own check still refuses it
    with pytest.raises(DataError, match="add up to more"):
        draft.draft_files(plan_data, bad, base=base)
    other = presets(load_plan_data(ONE))["plan-targets"]
    with pytest.raises(ValueError):
        draft.draft_files(plan_data, other)


def test_the_zip_and_the_folder_writer(tmp_path, default_draft):
    s, base, aset, files = default_draft
    raw = draft.draft_zip(files, "next-plan")
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert sorted(z.namelist()) == sorted(f"next-plan/{n}" for n in files)
        assert z.read("next-plan/plan.csv") == files["plan.csv"]
    assert draft.draft_zip(files, "next-plan") == raw  # the same draft, the same bytes
    out = tmp_path / "draft"
    draft.write_draft(files, out)
    assert check_plan(load_plan_data(out)) == []
    draft.write_draft(files, out)  # its own earlier output is replaced
    from model.io.files import OutputError

    with pytest.raises(OutputError):
        draft.write_draft(files, REPO / "data" / "plans" / "x")


def test_a_rebase_refused_for_a_city_level_figure_writes_no_draft(plan_data):
    aset = ActualsSet.from_path(FIX / "actuals-23.csv", plan_data)
    with pytest.raises(ScenarioError, match="Rail transit.*another scope"):
        next_scenario(plan_data, aset, 2024)


@pytest.mark.parametrize("g", [-0.5, -0.1, -0.0125, -1e-4, 0.0, 0.035, 0.5])
def test_any_per_mu_growth_the_slider_allows_writes_a_draft_that_loads_with_it(plan_data, default_draft, g):
    """A negative setting was written as text guarded against formulas ("'-0.1") and the draft's own reader refused
    it: the package could not be written for any negative per-mu growth."""
    s, base, aset, files = default_draft
    out = draft.draft_files(plan_data, s.with_(per_mu_growth=g), base=base)
    row = next(r for r in table(out, "defaults.csv") if r["parameter"] == "per_mu_growth")
    assert not row["value"].startswith("'") and float(row["value"]) == pytest.approx(g * 100)  # in %
    loaded = draft.load_draft(out).defaults
    assert float(loaded.loc[loaded["parameter"] == "per_mu_growth", "value"].iloc[0]) == pytest.approx(g * 100)


@pytest.mark.parametrize("year", [2022, 2023, 2024, 2025])
def test_the_draft_names_its_period_only_when_it_is_the_next_one(plan_data, year):
    """A draft rebased on 2027 (2028–2032) was named 十六五 in the reviewer's county plan. The plan's name for the next
    period (十五五, 2026–2030 after 2021–2025) is given only to that period; any other is named by its years."""
    aset = ActualsSet.from_path(FIX / "actuals.csv", plan_data)  # every year 2021–2025 complete
    assert not npn.rebase_candidates(aset, plan_data)[year]
    s, base = next_scenario(plan_data, aset, year)
    meta = draft.load_draft(draft.draft_files(plan_data, s, base=base)).meta
    conventional = (s.plan_first_year, s.plan_last_year) == (plan_data.calendar.plan_last_year + 1,
                                                             plan_data.calendar.plan_last_year + 5)
    assert (meta.text("period", "zh") == plan_data.meta.text("next_period", "zh")) == conventional, \
        (s.plan_first_year, s.plan_last_year, meta.text("period", "zh"))
    if not conventional:
        assert not meta.text("period", "zh")
    assert f"{s.plan_first_year}" in meta.text("name", "zh") and f"{s.plan_last_year}" in meta.text("name", "zh")


def test_a_per_mu_figure_from_the_actuals_keeps_the_scope_it_was_taken_on(plan_data, tmp_path):
    """A per-mu row stating no scope (the plan's own) was drafted from a 园区 actual as "范围未注明" with an empty
    scope, beside other rebased rows saying 范围：园区."""
    from tests.plans_support import PACKAGES, copy_package, read, write

    folder = copy_package(PACKAGES["default"], tmp_path / "p")
    header, rows = read(folder / "indicators.csv")
    for r in rows:
        if r.get("role") == "per_mu_base":
            r["scope"] = ""
    write(folder / "indicators.csv", header, rows)
    data = load_plan_data(folder)
    aset = ActualsSet.from_path(FIX / "actuals-23.csv", data)
    s, base = next_scenario(data, aset, 2025)
    mu = draft.load_draft(draft.draft_files(data, s, base=base)).role_row("per_mu_base")
    assert mu["kind"] == "baseline" and mu["scope"] == data.scope
    assert "范围未注明" not in mu["quote"] and data.label("scope", data.scope, "zh") in mu["quote"]
