"""model/calc/mujun.py: scores, classes, aggregates and the lever, by known answers and properties (synthetic firms
from tests/mujun_support.py; only test_plan_inputs_* reads the plan's own tables)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.calc.mujun import (INDICATORS, Baselines, Method, MethodError, aggregate, class_counts, evaluate, lever,
                              method_from_bytes, plan_inputs, presets, score)
from model.io.enterprises import EnterpriseSet, LandRegister
from model.numbers import WAN_PER_YI
from model.scenario.frozen import FrozenMap
from tests.mujun_support import AREAS, equal_but_tax, synthetic

TAX_ONLY = FrozenMap({"tax_per_mu": 100.0})
GIVEN = {"weights_above": TAX_ONLY, "weights_below": TAX_ONLY, "benchmark": "given"}  # tax per mu, given values


def below_firms(tax_per_mu, land=1.0) -> pd.DataFrame:
    """Below-scale firms with the given tax per mu (one per value), all in one area."""
    n = len(tax_per_mu)
    return pd.DataFrame({"name": [f"企业{i}" for i in range(n)], "credit_code": "", "area": "北区",
                         "scale": "below", "industry": "制造", "land_mu": float(land),
                         "tax_wan": np.asarray(tax_per_mu, dtype=float) * land, "revenue_wan": np.nan,
                         "value_added_wan": np.nan, "energy_tce": np.nan, "emissions_t": np.nan,
                         "employees": np.nan, "rd_wan": np.nan, "exempt_reason": "", "bonus": np.nan})


# -- known answers --------------------------------------------------------------------------------------

def test_forty_firms_equal_but_tax_are_ranked_by_it_and_fall_10_18_10_2():
    r = evaluate(EnterpriseSet.from_frame(equal_but_tax(40), AREAS), Method())
    df = r.enterprises.sort_values("rank")
    assert list(df["tax_wan"]) == sorted(df["tax_wan"], reverse=True)  # ranked by tax per mu
    assert list(df["rank"]) == list(range(1, 41))
    assert r.counts() == {"A": 10, "B": 18, "C": 10, "D": 2}
    assert list(df["class"]) == ["A"] * 10 + ["B"] * 18 + ["C"] * 10 + ["D"] * 2
    for name in ("minmax",):  # the same under the other preset
        assert evaluate(equal_but_tax(40), presets()[name]).counts() == {"A": 10, "B": 18, "C": 10, "D": 2}


def test_min_max_scores_match_a_hand_computation():
    m = Method(scoring="minmax", weights_below=TAX_ONLY)
    res, ref = score(below_firms([10, 20, 40]), m)
    # weight × [20 + 80 × (x − min) ÷ (max − min)] ÷ 100 with min 10, max 40
    assert res["score"].tolist() == pytest.approx([20.0, 20 + 80 * 10 / 30, 100.0])
    assert ref.set_index("kind")["value"].to_dict() == {"min": 10.0, "max": 40.0}
    res, _ = score(below_firms([10, 20, 40]), m.with_(floor=0.0))
    assert res["score"].tolist() == pytest.approx([0.0, 100 / 3, 100.0])


def test_benchmark_scores_match_a_hand_computation():
    firms = below_firms([10, 20, 40]).assign(land_mu=[1.0, 1.0, 2.0], tax_wan=[10.0, 20.0, 80.0])
    res, ref = score(firms, Method(weights_below=TAX_ONLY))
    bench = (10 + 20 + 80) / (1 + 1 + 2)  # the group's aggregate tax per mu: 27.5
    assert ref["value"].tolist() == pytest.approx([bench])
    assert res["score"].tolist() == pytest.approx([100 * 10 / bench, 100 * 20 / bench, 100 * min(2.0, 40 / bench)])
    res, _ = score(firms, Method(**GIVEN, given={"tax_per_mu": 25.0}, cap=1.5))
    assert res["score"].tolist() == pytest.approx([40.0, 80.0, 150.0])


def test_an_exempt_firm_is_scored_but_gets_no_class_and_sets_no_benchmark():
    firms = below_firms([10, 20, 40, 1000])
    firms.loc[3, "exempt_reason"] = "utility"
    res, ref = score(firms, Method(weights_below=TAX_ONLY))
    assert res.loc[3, "class"] == "" and math.isnan(res.loc[3, "rank"]) and not res.loc[3, "graded"]
    assert res.loc[3, "not_graded"] == "utility" and res.loc[3, "score"] == pytest.approx(200.0)  # capped at 2×
    assert ref["value"].tolist() == pytest.approx([70 / 3])  # the three graded firms only
    assert res["of"].dropna().unique().tolist() == [3.0]
    graded = score(firms, Method(weights_below=TAX_ONLY, exempt=frozenset()))[0]
    assert graded.loc[3, "class"] == "A"  # a method that grades utilities grades it


def test_score_thresholds_and_ties():
    m = Method(**GIVEN, given={"tax_per_mu": 10.0}, class_rule="score",
               cuts=(120.0, 90.0, 60.0))
    res, _ = score(below_firms([13, 12, 9, 6, 5]), m)
    assert res["class"].tolist() == ["A", "A", "B", "C", "D"]
    tied = score(below_firms([5, 5, 5, 5]), Method(weights_below=TAX_ONLY))[0]
    assert tied["rank"].tolist() == [1, 1, 1, 1] and set(tied["class"]) == {"A"}  # ties share the better class


def test_groups_apart_or_together():
    firms = pd.concat([below_firms([10, 20]), equal_but_tax(4)], ignore_index=True)
    apart = score(firms, Method())[0]
    assert apart.groupby("group")["of"].max().to_dict() == {"above": 4.0, "below": 2.0}
    together = score(firms, Method(apart=False))[0]
    assert set(together["group"]) == {"all"} and together["of"].max() == 6


def test_missing_inputs_score_nothing_and_are_named_zero_denominators_score_full():
    firms = equal_but_tax(3)
    firms.loc[0, "emissions_t"] = np.nan
    firms.loc[1, "emissions_t"] = 0.0
    res, _ = score(firms, Method())
    assert res.loc[0, "p_va_per_emission"] == 0 and res.loc[0, "missing"] == "va_per_emission"
    assert res.loc[1, "p_va_per_emission"] == pytest.approx(10 * Method().cap) and res.loc[1, "missing"] == ""


def test_bonus_is_capped():
    firms = below_firms([10, 10]).assign(bonus=[25.0, -3.0])
    res, _ = score(firms, Method(weights_below=TAX_ONLY, bonus_cap=10.0))
    assert res["score"].tolist() == pytest.approx([110.0, 97.0]) and res["bonus_points"].tolist() == [10.0, -3.0]


def test_per_area_figures_reproduce_the_base_years_from_a_file_built_to_match(plan_data):
    baselines, areas = plan_inputs(plan_data)
    ind = plan_data.indicators.set_index("indicator_id")
    assert baselines.tax_per_mu == ind.loc["tax_per_mu_2020", "value"]  # found by measure, not typed
    assert baselines.output_per_mu == ind.loc["output_per_mu_2020", "value"]
    assert baselines.year == plan_data.role_year("per_mu_base")
    rows = []
    for k, area in enumerate(areas):
        for i, land in enumerate((12.5, 40.0, 7.25)):  # firms off the baseline, the area's totals on it
            f = (0.6, 1.3, 1.1)[i]
            rows.append({"name": f"企业{k}{i}", "area": area, "scale": "above", "industry": "制造", "land_mu": land,
                         "tax_wan": baselines.tax_per_mu * land * f, "revenue_wan": baselines.output_per_mu * land * f})
    df = pd.DataFrame(rows)
    scale = {a: df[df.area == a].land_mu.sum() / (df[df.area == a].land_mu * df[df.area == a].tax_wan /
                                                   df[df.area == a].land_mu / baselines.tax_per_mu).sum()
             for a in areas}
    df["tax_wan"] *= df["area"].map(scale)
    df["revenue_wan"] *= df["area"].map(scale)
    es = EnterpriseSet.from_frame(df, areas)
    r = evaluate(es, Method(), baselines)
    assert r.by_area["tax_per_mu"].tolist() == pytest.approx([baselines.tax_per_mu] * len(areas))
    assert r.by_area["output_per_mu"].tolist() == pytest.approx([baselines.output_per_mu] * len(areas))
    assert r.by_area["tax_per_mu_change"].abs().max() < 1e-9 and r.total["output_per_mu_change_pct"].abs().max() < 1e-9


def test_aggregates_are_ratios_of_totals_with_class_counts():
    df = synthetic(60, seed=3)
    r = evaluate(df, Method(), Baselines(2000, 30.0, 1000.0))
    a = r.by_area.set_index("group")
    for area in AREAS:
        part = df[df.area == area]
        assert a.loc[area, "tax_per_mu"] == pytest.approx(part.tax_wan.sum() / part.land_mu.sum())
        assert a.loc[area, "firms"] == len(part)
    assert r.total["A"].iloc[0] + r.total["B"].iloc[0] + r.total["C"].iloc[0] + r.total["D"].iloc[0] == \
        r.enterprises["graded"].sum()
    assert r.by_industry["firms"].sum() == 60
    assert aggregate(df, r.enterprises, "area")["tax_per_mu"].tolist() == a["tax_per_mu"].tolist()


def test_the_lever_by_hand():
    firms = below_firms([1, 1, 1, 1]).assign(land_mu=[1.0, 1.0, 1.0, 10.0], revenue_wan=[100.0, 200.0, 300.0, 500.0])
    res = evaluate(firms, Method(**GIVEN, given={"tax_per_mu": 1.0},
                                 class_rule="score", cuts=(1000.0, 0.0, -1.0)),
                   register=LandRegister.from_frame(pd.DataFrame(
                       {"parcel_id": ["L1", "L2"], "area": ["北区", "北区"],
                        "category": ["approved_unsupplied", "invested_substandard"], "land_mu": [20.0, 5.0]}), AREAS))
    res.enterprises.loc[3, "class"] = "C"  # firm 4 (50 万元/亩 on 10 亩) in class C; the others B
    lv = lever(res)
    assert lv.median_b_output_per_mu == 200.0
    assert lv.extra_output_yi == pytest.approx((200 - 50) * 10 / WAN_PER_YI)
    assert lv.land_freed_mu == pytest.approx(10 - 500 / 200)
    assert lv.idle_land_mu == 20.0 and lv.idle_output_yi == pytest.approx(20 * 200 / WAN_PER_YI)  # 投而未达标 left out
    assert lever(res, categories=("invested_substandard",)).idle_land_mu == 5.0


def test_the_lever_without_class_b_says_so():
    lv = lever(evaluate(below_firms([1, 2]), Method(weights_below=TAX_ONLY)))
    assert not lv.available and lv.extra_output_yi == 0


# -- the method as data ------------------------------------------------------------------------------------

def test_presets_are_valid_and_read_back_from_csv_and_json():
    for name, m in presets().items():
        assert m.name == name and m.problems() == []
        assert method_from_bytes(m.to_csv_text().encode("utf-8-sig"), "m.csv") == m
        assert method_from_bytes(m.to_json().encode(), "m.json") == m
    assert presets()["default"].weights("above") == {"tax_per_mu": 30.0, "value_added_per_mu": 20.0,
                                                     "va_per_energy": 20.0, "va_per_emission": 10.0,
                                                     "labour_productivity": 10.0, "rd_intensity": 10.0}


def test_method_problems_name_the_parameter():
    bad = Method(weights_above={"tax_per_mu": 90.0, "va_per_energy": -5.0, "luck": 15.0}, cap=0.5,
                 benchmark="given", cuts=(70.0, 25.0, 95.0), exempt=frozenset({"utility", "friends"}))
    text = "\n".join(bad.problems())
    for part in ("weight.above.va_per_energy:", "weight.above.luck: unknown indicator", "cap: 0.5 outside",
                 "given.tax_per_mu: required", "cut_a, cut_b, cut_c", "exempt: unknown reasons friends"):
        assert part in text, part
    with pytest.raises(MethodError):
        bad.check()
    assert "weight.below: the weights add up to 90, not 100" in "\n".join(
        Method(weights_below={"tax_per_mu": 90.0}).problems())


def test_method_files_report_rows_and_parameters():
    text = "parameter,value\r\ncap,abc\r\nweight.middle.tax_per_mu,5\r\ncolour,red\r\ncap,2\r\n"
    with pytest.raises(MethodError) as exc:
        method_from_bytes(text.encode(), "m.csv")
    got = "\n".join(exc.value.problems)
    assert "m.csv:2:cap: not a number: 'abc'" in got and "m.csv:3:weight.middle.tax_per_mu" in got
    assert "m.csv:4:colour: unknown parameter" in got and "m.csv:5:cap: given twice (first at row 2)" in got
    with pytest.raises(MethodError) as exc:
        method_from_bytes(b"parameter,value\nweight.below.tax_per_mu,60\n", "m.csv")
    assert exc.value.problems == ["m.csv:-:weight.below: the weights add up to 60, not 100"]
    with pytest.raises(MethodError):
        method_from_bytes(b"{not json", "m.json")
    hostile = {b'{"cap": 1' + b"0" * 5_000 + b"}": "m.json:1:cap: too long",  # int() of it raised a traceback
               b'{"cap": 2, "cap": 3}': "m.json:-:cap: given more than once",  # json kept the last one silently
               b'{"cap": NaN}': "m.json:1:cap:", b'{"cap": 1e999}': "m.json:1:cap:",
               b'{"weights_above": {"tax_per_mu": 50, "tax_per_mu": 1}}': "tax_per_mu: given more than once"}
    for raw, where in hostile.items():
        with pytest.raises(MethodError) as exc:
            method_from_bytes(raw, "m.json")
        assert any(p.startswith(where) or where in p for p in exc.value.problems), (raw[:40], exc.value.problems)
    described = Method().to_csv_text().replace("parameter,value", "parameter,value,description")
    assert method_from_bytes(described.encode(), "m.csv") == Method()  # the results' method.csv has descriptions


# -- properties ------------------------------------------------------------------------------------------

@settings(max_examples=80, deadline=None)
@given(n=st.integers(0, 2000), a=st.floats(0, 100), b=st.floats(0, 100), c=st.floats(0, 100))
def test_class_counts_follow_the_rule_for_any_n(n, a, b, c):
    cuts = tuple(sorted((a, b, c)))
    counts = class_counts(n, cuts)
    assert sum(counts) == n and min(counts) >= 0
    cum = np.cumsum(counts)[:3]
    assert list(cum) == [min(n, int(math.floor(n * x / 100 + 0.5 + 1e-9))) for x in cuts]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 300), seed=st.integers(0, 10_000))
def test_ranked_firms_with_distinct_scores_fill_the_classes_exactly(n, seed):
    rng = np.random.default_rng(seed)
    tax = rng.permutation(n) + 1.0  # distinct
    res, _ = score(below_firms(tax), Method(weights_below=TAX_ONLY, scoring="minmax"))
    got = tuple(int((res["class"] == k).sum()) for k in "ABCD")
    assert got == class_counts(n, Method().cuts)


RAISE = {  # a change of inputs that raises the indicator and lowers none (less land raises every per-mu one)
    "tax_per_mu": {"tax_wan": 1.5}, "value_added_per_mu": {"value_added_wan": 1.5},
    "revenue_per_mu": {"land_mu": 1 / 1.5}, "va_per_energy": {"energy_tce": 1 / 1.5},
    "va_per_emission": {"emissions_t": 1 / 1.5}, "labour_productivity": {"employees": 0.5},
    "rd_intensity": {"rd_wan": 1.5},
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), firm=st.integers(0, 39), which=st.sampled_from(INDICATORS),
       preset=st.sampled_from(("default", "minmax")), apart=st.booleans())
def test_scores_are_monotone_in_each_positively_weighted_indicator(seed, firm, which, preset, apart):
    df = synthetic(40, seed=seed, below_share=0.2)
    m = presets()[preset].with_(apart=apart)
    before = score(df, m)[0]
    raised = df.copy()
    for col, factor in RAISE[which].items():
        v = raised.loc[firm, col]
        raised.loc[firm, col] = round(v * factor) if col == "employees" and v == v else v * factor
    after = score(raised, m)[0]
    assert after.loc[firm, "score"] >= before.loc[firm, "score"] - 1e-9
    if before.loc[firm, "graded"]:
        assert after.loc[firm, "rank"] <= before.loc[firm, "rank"]


@settings(max_examples=30, deadline=None)
@given(w=st.lists(st.integers(0, 100), min_size=len(INDICATORS), max_size=len(INDICATORS)).filter(lambda w: sum(w)))
def test_any_valid_method_reads_back_from_its_file(w):
    total = sum(w)
    weights = {k: x * 100.0 / total for k, x in zip(INDICATORS, w)}
    weights[INDICATORS[0]] += 100.0 - sum(weights.values())
    m = Method(weights_above=weights)
    if m.problems():
        return  # rounding left the sum off 100 by more than 1e-6: refused, as it should be
    assert method_from_bytes(m.to_csv_text().encode(), "m.csv") == m


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 60), st.integers(0, 10_000), st.lists(st.sampled_from(["园区", "一期", "二期", "一期东", "东区"]),
                                                            min_size=60, max_size=60))
def test_an_area_others_lie_in_is_totalled_with_them(n, seed, where):
    """areas.csv nests areas (一期 and 二期 inside 园区, 一期东 inside 一期): the per-area table gave 园区 only the firms
    filed under 园区 itself. An area's row now holds every firm in it or in an area inside it, at any depth — its
    firms, land, money and classes the sums of its own and its sub-areas' firms', its per-mu figures recomputed from
    those sums — and says how many sub-areas it includes; an area nothing lies in is as before; the whole set is
    unchanged."""
    parents = {"一期": "园区", "二期": "园区", "一期东": "一期"}
    firms = synthetic(n, seed).assign(area=where[:n])
    plain = evaluate(firms, Method())
    nested = evaluate(firms, Method(), parents=parents)
    assert nested.total.drop(columns=[]).equals(plain.total)
    own = plain.by_area.set_index("group")
    got = nested.by_area.set_index("group")

    def within(a):
        out, stack = {a}, [a]
        while stack:
            x = stack.pop()
            kids = {k for k, p in parents.items() if p == x}
            out |= kids
            stack += list(kids)
        return out

    present = set(where[:n])
    for a in set(got.index):
        members = within(a) & present
        assert got.loc[a, "sub_areas"] == len(members - {a})
        for col in ("firms", "graded", "land_mu", "A", "B", "C", "D"):
            assert got.loc[a, col] == pytest.approx(sum(own.loc[m, col] for m in members)), (a, col)
        mask = firms["area"].isin(members) & (firms["land_mu"] > 0)
        assert got.loc[a, "tax_per_mu"] == pytest.approx(firms.loc[mask, "tax_wan"].sum() / firms.loc[mask, "land_mu"]
                                                         .sum())
    assert set(got.index) == present | {p for a in present for p in ("园区",) if a in within("园区")} | \
        ({"一期"} if "一期东" in present else set())
    for a in present - set(parents.values()):
        assert got.loc[a, "sub_areas"] == 0


def test_the_per_area_tables_say_which_rows_include_sub_areas():
    from model.report.mujun_report import result_tables

    firms = synthetic(30, 1).assign(area=["一期"] * 10 + ["二期"] * 10 + ["东区"] * 10)
    areas = {a: {"zh": a, "en": e} for a, e in (("园区", "Park"), ("一期", "Phase I"), ("二期", "Phase II"),
                                                 ("东区", "East"))}
    r = evaluate(firms, Method(), areas=areas, parents={"一期": "园区", "二期": "园区"})
    assert list(r.by_area["group"]) == ["园区", "一期", "二期", "东区"]  # the plan's order, parents first
    for lang, rolled in (("zh", "园区（含所辖片区）"), ("en", "Park (incl. the areas within it)")):
        groups = list(dict.fromkeys(result_tables(r, lang, areas)["mujun_areas.csv"]["group"]))
        assert groups[0] == rolled and "一期" not in groups[0] and groups[1] in ("一期", "Phase I")


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=60), st.sampled_from(["json", "csv"]))
def test_a_method_files_texts_pass_the_one_cleaner(name, form):
    """A method's name in a file is text from outside: a control character stopped the Word report (XML), a lone
    surrogate the CSV writer, a bidi override reversed the name in every output. Whatever the file holds, the
    method is refused with its row or its name is clean text that every writer takes."""
    import json

    from model.cleaning import clean
    from model.report.mujun_report import method_table

    if form == "json":
        raw = json.dumps({"name": name}).encode("utf-8")  # \\ud800 stays an escape: json.loads makes it a surrogate
    else:
        cell = '"' + clean(name).replace('"', '""') + '"' if name.strip() else ""
        raw = ("parameter,value\nname," + cell + "\n").encode("utf-8", "surrogatepass")
    try:
        m = method_from_bytes(raw, "m.json")
    except MethodError as exc:
        assert all(p.startswith("m.json:") for p in exc.problems), exc.problems
        return
    assert m.name == clean(m.name) and m.name.strip()
    m.name.encode("utf-8")  # no surrogate
    assert not any(0xD800 <= ord(c) <= 0xDFFF or c in "\u202e\u202d\u2066\u0001\x0b" for c in m.name)
    for lang in ("zh", "en"):
        method_table(m, lang).to_csv(index=False).encode("utf-8")


def test_firms_without_an_area_are_a_named_row():
    """A plan without areas.csv leaves 片区 optional: firms without one were a row with no name in the report."""
    from model.report.mujun_report import result_tables

    firms = synthetic(12, 3).assign(area=[""] * 6 + ["北区"] * 6)
    r = evaluate(firms, Method(), areas=AREAS)
    for lang, none in (("zh", "未填片区"), ("en", "No area given")):
        groups = set(result_tables(r, lang, AREAS)["mujun_areas.csv"]["group"])
        assert none in groups and "" not in groups, groups


def test_idle_land_is_a_category_of_its_own_and_counts_in_the_lever():
    """闲置土地 (the 闲置土地处置办法's legal category) was refused as a land category. It is read and, being land no
    firm uses, counted as land the lever can bring back."""
    firms = below_firms([1, 1, 1, 1]).assign(land_mu=[1.0, 1.0, 1.0, 10.0], revenue_wan=[100.0, 200.0, 300.0, 500.0])
    reg = LandRegister.from_frame(pd.DataFrame({"parcel_id": ["L1"], "area": ["北区"], "category": ["闲置土地"],
                                                "land_mu": [8.0]}), AREAS)
    res = evaluate(firms, Method(**GIVEN, given={"tax_per_mu": 1.0}, class_rule="score", cuts=(1000.0, 0.0, -1.0)),
                   register=reg)
    assert lever(res).idle_land_mu == 8.0
