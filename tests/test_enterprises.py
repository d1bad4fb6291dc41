"""model/io/enterprises.py: the enterprise file and the low-efficiency land register, read strictly (synthetic
firms from tests/mujun_support.py, never real ones)."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.io.enterprises import (ENTERPRISES, IDLE_LAND, EnterpriseSet, LandRegister, credit_check_char,
                                  credit_problem, header_label, template_frame, template_xlsx)
from model.plan.tables import DataError
from tests.mujun_support import AREAS, credit_code, synthetic, to_csv_bytes


def problems_of(raw: bytes, label: str = "e.csv", cls=EnterpriseSet, areas=AREAS) -> list[str]:
    with pytest.raises(DataError) as exc:
        cls.from_bytes(raw, label, areas)
    return exc.value.problems


def headed(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    return df.rename(columns={c.id: header_label(ENTERPRISES, c.id, lang) for c in ENTERPRISES.columns})


def test_headers_in_chinese_english_or_ids_read_alike():
    df = synthetic(30, seed=1)
    sets = [EnterpriseSet.from_bytes(to_csv_bytes(headed(df, lang) if lang else df), "e.csv", AREAS)
            for lang in ("zh", "en", None)]
    assert sets[0] == sets[1] == sets[2] and len(sets[0]) == 30
    assert sets[0].short_id == sets[1].short_id == sets[2].short_id


def test_a_template_downloaded_before_a_header_was_renamed_still_reads():
    df = synthetic(12, seed=3)
    old = headed(df, "zh").rename(columns={header_label(ENTERPRISES, "exempt_reason", "zh"): "不定等级原因"})
    assert "不定等级原因" in old.columns and header_label(ENTERPRISES, "exempt_reason", "zh") not in old.columns
    assert EnterpriseSet.from_bytes(to_csv_bytes(old), "e.csv", AREAS) == EnterpriseSet.from_frame(df, AREAS)


def test_canonical_text_reads_back_and_ignores_row_order():
    df = synthetic(25, seed=2)
    a = EnterpriseSet.from_frame(df, AREAS)
    b = EnterpriseSet.from_frame(df.iloc[::-1], AREAS)
    assert a == b and a.short_id == b.short_id and len(a.short_id) == 8
    assert a.to_csv_bytes().startswith(b"\xef\xbb\xbf")
    assert EnterpriseSet.from_bytes(a.to_csv_bytes(), "again.csv", AREAS) == a
    assert EnterpriseSet.from_bytes(a.to_csv_text().encode("utf-8"), "lib.csv") == a  # the library: no areas


def test_gbk_and_xlsx_files_load():
    df = headed(synthetic(10, seed=3), "zh")
    gbk = df.to_csv(index=False).encode("gbk")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(df.columns))
    for rec in df.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and v != v) else v for v in rec])
    buf = io.BytesIO()
    wb.save(buf)
    assert EnterpriseSet.from_bytes(gbk, "e.csv", AREAS) == EnterpriseSet.from_bytes(buf.getvalue(), "e.xlsx", AREAS)


def test_areas_read_by_value_or_name_and_codes_by_either_language():
    df = synthetic(4, seed=4).assign(area=["北区", "North area", "south AREA", "南区"],
                                     scale=["规上", "Below-scale", "above", "规下"],
                                     exempt_reason=["", "公用事业", "start-up", ""])
    got = EnterpriseSet.from_frame(df, AREAS).frame()
    assert set(got["area"]) == {"北区", "南区"} and set(got["scale"]) == {"above", "below"}
    assert sorted(got["exempt_reason"]) == ["", "", "startup", "utility"]


def test_every_problem_is_named_by_file_row_and_column():
    df = headed(synthetic(8, seed=5), "zh").astype(object)
    df.loc[0, "用地面积（亩）"] = -3
    df.loc[1, "税收（万元）"] = "abc"
    df.loc[2, "年平均职工人数"] = 12.5
    df.loc[3, "片区"] = "西区"
    df.loc[4, "规模"] = "中型"
    df.loc[5, "营业收入（万元）"] = 1e12
    df.loc[6, "统一社会信用代码"] = "91430204000000001X"
    df.loc[7, "企业名称"] = df.loc[0, "企业名称"]
    got = problems_of(to_csv_bytes(df))
    text = "\n".join(got)
    assert "e.csv:2:用地面积（亩）: negative land: -3" in text
    assert "e.csv:3:税收（万元）: not a number: 'abc'" in text
    assert "e.csv:4:年平均职工人数: not a whole number" in text
    assert "e.csv:5:片区: unknown value '西区'" in text
    assert "e.csv:6:规模: unknown value '中型'" in text
    assert "e.csv:7:营业收入（万元）: 1000000000000 above the plausible money" in text
    assert "e.csv:8:统一社会信用代码:" in text
    name = df.loc[0, "企业名称"]
    assert f"e.csv:9:企业名称: {name!r} given twice (first at row 2)" in text
    assert len(got) == 8, got


def test_duplicate_credit_codes_name_both_rows_and_firms():
    df = synthetic(3, seed=6)
    df.loc[2, "credit_code"] = df.loc[0, "credit_code"]
    [p] = problems_of(to_csv_bytes(df))
    assert p.startswith("e.csv:4:credit_code:") and f"first at row 2: {df.loc[0, 'name']!r}" in p


def test_a_graded_firm_needs_land_an_exempt_one_may_have_none():
    df = synthetic(2, seed=7, exempt_share=0)
    for tiny in (0, 1e-9, 0.009):  # 1e-9 亩 was graded: printed as 0 land beside a tax per mu of 1e17, grade A
        df.loc[0, "land_mu"] = tiny
        [p] = problems_of(to_csv_bytes(df))
        assert p.startswith("e.csv:2:land_mu: a graded firm needs at least 0.01 亩"), p
    df.loc[0, "land_mu"] = 0.01
    assert len(EnterpriseSet.from_frame(df, AREAS)) == 2
    df.loc[0, "land_mu"] = 0
    df.loc[0, "exempt_reason"] = "在建企业"
    assert len(EnterpriseSet.from_frame(df, AREAS)) == 2


def test_header_problems_units_missing_and_duplicate_columns():
    df = headed(synthetic(2, seed=8), "zh").rename(columns={"税收（万元）": "税收（元）"})
    assert any(p.startswith("e.csv:1:税收（元）: unit '元' differs") for p in problems_of(to_csv_bytes(df)))
    got = problems_of(to_csv_bytes(headed(synthetic(2, seed=8), "zh").drop(columns=["行业"]).assign(颜色="红")))
    assert any(p.startswith("e.csv:1:颜色: unknown column") for p in got)
    assert any(p.startswith("e.csv:1:行业: missing column") for p in got)
    both = headed(synthetic(2, seed=8), "zh").assign(**{"Land (mu)": 1})
    assert any("the same column as '用地面积（亩）'" in p for p in problems_of(to_csv_bytes(both)))
    assert len(EnterpriseSet.from_bytes(to_csv_bytes(headed(synthetic(2, seed=8), "zh").rename(
        columns={"用地面积（亩）": "用地面积"})), "e.csv", AREAS)) == 2  # no unit: read in the column's unit


def test_empty_files_and_decimal_commas_are_named():
    assert problems_of(b"") == ["e.csv:1:-: the file is empty"]
    header = ",".join(header_label(ENTERPRISES, c.id, "zh") for c in ENTERPRISES.columns)
    assert problems_of(header.encode()) == ["e.csv:2:-: the file has a header but no rows"]
    row = "甲公司,,北区,规上,制造,1,2,5,5,5,5,5,5,,,7"
    assert "decimal comma" in problems_of(f"{header}\n{row}".encode())[0]


def test_text_is_cleaned_and_never_a_formula():
    df = synthetic(2, seed=9)
    df.loc[0, "name"] = "=HYPERLINK(\"x\")\u200b 公司\x07"
    df.loc[1, "industry"] = "装备\u202e制造\t业"
    got = EnterpriseSet.from_frame(df, AREAS).frame()
    assert "'=HYPERLINK(\"x\") 公司" in set(got["name"])
    assert "装备制造 业" in set(got["industry"])


def test_credit_codes_are_checked_by_their_check_character():
    code = credit_code(123)
    assert credit_problem(code) is None and credit_check_char(code[:17]) == code[17]
    assert "18 characters" in credit_problem(code[:17])
    assert "not used" in credit_problem(code[:16] + "IO")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    assert "does not match" in credit_problem(wrong)


def test_land_register_reads_categories_in_either_language_and_refuses_bad_parcels():
    df = pd.DataFrame({"地块编号": ["L1", "L2", "L3"], "片区": ["北区", "South area", "北区"],
                       "低效用地类别": ["批而未供", "Built but not in production", "invested_substandard"],
                       "用地面积（亩）": [12.5, 30, 7]})
    reg = LandRegister.from_frame(df, AREAS)
    assert list(reg.frame()["category"]) == ["approved_unsupplied", "built_uninvested", "invested_substandard"]
    bad = df.assign(地块编号=["L1", "L1", "L3"], 低效用地类别=["批而未供", "闲置", "批而未供"],
                    **{"用地面积（亩）": [12.5, 0, 7]})
    got = problems_of(to_csv_bytes(bad), "land.csv", LandRegister)
    assert any(p.startswith("land.csv:3:低效用地类别: unknown value '闲置'") for p in got)
    assert any(p.startswith("land.csv:3:地块编号: 'L1' given twice (first at row 2)") for p in got)
    assert any(p.startswith("land.csv:3:用地面积（亩）: a parcel's area is above 0") for p in got)


def test_templates_carry_the_headers_and_a_filled_template_loads():
    for lang in ("zh", "en"):
        assert list(template_frame(ENTERPRISES, lang).columns)[5] == header_label(ENTERPRISES, "land_mu", lang)
        wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(IDLE_LAND, lang, AREAS)))
        assert [c.value for c in wb.worksheets[0][1]] == list(template_frame(IDLE_LAND, lang).columns)
        assert wb.worksheets[0].freeze_panes == "A2" and len(wb.worksheets[1]["A"]) == len(IDLE_LAND.columns) + 1
    filled = pd.concat([template_frame(ENTERPRISES, "en"), headed(synthetic(3, seed=10), "en")])
    assert len(EnterpriseSet.from_bytes(to_csv_bytes(filled), "t.csv", AREAS)) == 3


def test_the_library_keeps_enterprise_sets_with_versions(tmp_path):
    from model.io.library import Library, LibraryError

    es = EnterpriseSet.from_frame(synthetic(5, seed=11), AREAS)
    with Library(tmp_path / "lib.db") as lib:
        rec = lib.save_document("enterprises", "年度评价", es.to_csv_text(), "测试")
        assert rec.short_id == es.short_id and rec.version == 1
        assert EnterpriseSet.from_bytes(lib.get(es.short_id, kind="enterprises").content.encode(), "x") == es
        with pytest.raises(LibraryError):
            lib.save_document("enterprises", "坏", "name,area\n,\n")


def test_file_size_and_row_caps_are_checked_before_parsing(monkeypatch):
    import model.io.enterprises as ent

    monkeypatch.setattr(ent, "MAX_BYTES", 100)
    assert "larger than" in problems_of(b"x" * 101)[0]


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT, industry=TEXT, land=TEXT, tax=TEXT)
def test_any_cell_text_either_loads_cleanly_or_is_named(name, industry, land, tax):
    df = synthetic(2, seed=12).astype(object)
    df.loc[0, ["name", "industry", "land_mu", "tax_wan"]] = [name, industry, land, tax]
    raw = df.to_csv(index=False).encode("utf-8")
    try:
        es = EnterpriseSet.from_bytes(raw, "h.csv", AREAS)
    except DataError as exc:
        assert exc.problems and all(p.startswith("h.csv:") for p in exc.problems)
        return
    for v in es.frame()[["name", "industry"]].to_numpy().ravel():
        assert not any(ord(c) < 32 or 0x200B <= ord(c) <= 0x202E for c in v)
        assert v.strip() == v and not v.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("cls", [EnterpriseSet, LandRegister])
def test_a_plan_without_areas_neither_requires_nor_restricts_the_area_column(cls):
    """areas.csv is optional: for a plan without it every 片区 value was refused against an empty list ("allowed: ")
    and an empty one as missing, so no firm of such a plan could be graded. With areas the list still holds."""
    df = synthetic(12, seed=3) if cls is EnterpriseSet else None
    if df is None:
        df = pd.DataFrame({"parcel_id": ["L1", "L2"], "area": ["东片", "西片"], "land_mu": [10.0, 20.0],
                           "category": ["supplied_unused", "used_unbuilt"]})
        df = df[[c.id for c in IDLE_LAND.columns if c.id in df.columns]]
    given = df.assign(area=["某园区"] + [""] * (len(df) - 1))
    got = cls.from_bytes(to_csv_bytes(given), "e.csv", {})
    assert len(got) == len(df)
    assert len(cls.from_bytes(to_csv_bytes(df.drop(columns=["area"])), "e.csv", {})) == len(df)  # nor the column
    assert any("area" in p and ("unknown value" in p or "required" in p) for p in problems_of(
        to_csv_bytes(given), cls=cls, areas=AREAS))


def test_an_unknown_code_lists_the_chinese_names_the_template_users_write():
    from model.io.enterprises import LandRegister

    t = "地块编号,片区,低效用地类别,用地面积（亩）\nL1,田心片区,用而未尽,10\n"
    with pytest.raises(DataError) as exc:
        LandRegister.from_bytes(t.encode("utf-8"), "l.csv", None)
    assert "批而未供" in exc.value.problems[0] and exc.value.problems[0].startswith("l.csv:2:低效用地类别:")
