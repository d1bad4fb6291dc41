"""Any plan as data: every shipped and synthetic package loads and passes the whole check; a package of another
calendar or shape runs every command; a broken package is refused naming file, row and column; random segment trees
project consistently (hypothesis)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.calc.plancheck import check_plan
from model.calc.results import run
from model.plan.tables import DataError, load_plan_data
from model.scenario.presets import presets
from tests.plans_support import PACKAGES, REPO, copy_package, read, shift_years, write


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_every_package_loads_and_passes_the_whole_check(name):
    data = load_plan_data(PACKAGES[name])
    assert check_plan(data) == []
    assert data.segments.root in data.segments
    for slug, s in presets(data).items():
        r = run(data, s)
        root = data.segments.root
        assert r.projection.path[root].iloc[0] == pytest.approx(r.projection.bases[root])


def _cli(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "model", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_a_package_with_every_year_moved_checks_and_exports(tmp_path):
    """The shifted-calendar case: check passing means every command works on that folder."""
    folder = shift_years(copy_package(PACKAGES["default"], tmp_path / "shifted"), 5)
    data = load_plan_data(folder)
    assert data.calendar.base_year == load_plan_data(PACKAGES["default"]).calendar.base_year + 5
    assert _cli("check", "--plan", folder).returncode == 0
    for option in ("--plan", "--data"):  # --data stays the older name
        out = tmp_path / f"out{option}"
        done = _cli("export", option, folder, "--preset", "plan-targets", "--out", out)
        assert done.returncode == 0, done.stderr
        summary = (out / "summary.csv").read_text(encoding="utf-8-sig")
        assert f"output_{data.calendar.target_year}_total" in summary


def test_a_copy_of_the_data_folder_gives_its_default_package(tmp_path):
    import shutil

    shutil.copytree(REPO / "data", tmp_path / "data")
    assert load_plan_data(tmp_path / "data").id == load_plan_data(PACKAGES["default"]).id
    assert _cli("check", "--data", tmp_path / "data").returncode == 0


@pytest.mark.parametrize("name", ["four-industries", "one-segment"])
def test_commands_run_on_packages_of_other_shapes(name, tmp_path):
    folder = PACKAGES[name]
    assert _cli("check", "--plan", folder).returncode == 0
    done = _cli("export", "--plan", folder, "--preset", "plan-targets", "--out", tmp_path / "x")
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "x" / "assumptions.csv").read_text(encoding="utf-8-sig")
    assert f"plan,{load_plan_data(folder).id}" in text  # a scenario of another plan names it


def _break(tmp_path, file, change):
    folder = copy_package(PACKAGES["four-industries"], tmp_path / "broken")
    header, rows = read(folder / file)
    header, rows = change(header, rows)
    write(folder / file, header, rows)
    return folder


def _set(segment, column, value):
    def change(header, rows):
        for r in rows:
            if r[header[0]] == segment:
                r[column] = value
        return header, rows
    return change


@pytest.mark.parametrize("file, change, expected", [
    ("segments.csv", _set("materials", "relation", "total"), "segments.csv:-:relation: exactly one segment"),
    ("segments.csv", _set("materials", "parent", "nowhere"), "segments.csv:3:parent: unknown segment 'nowhere'"),
    ("segments.csv", _set("materials", "base_id", "no_such_row"), "segments.csv:3:base_id: unknown indicator"),
    ("segments.csv", _set("materials", "target_id", "materials_2025"), "is a baseline row, not target"),
    ("segments.csv", _set("materials", "code", "eq"), "segments.csv:4:code: 'eq' also used in row 3"),
    ("indicators.csv", _set("land_north", "role", "landavailable"), "indicators.csv:17:role: unknown role"),
    ("indicators.csv", _set("hightech_firms_2030", "value_max", "1"), "indicators.csv:10:value_max"),
    ("indicators.csv", _set("materials_2030", "year", "2031"), "not the plan's target year 2030"),
    ("plan.csv", _set("base_year", "value", "twenty"), "plan.csv:10:value: base_year must be a year"),
    ("projects.csv", _set("X1", "area", "南园"), "projects.csv:2:area: unknown area '南园'"),
    ("projects.csv", _set("X1", "end_year", ""), "projects.csv:2:end_year: give both build years or neither"),
])
def test_a_broken_package_is_refused_naming_file_row_and_column(tmp_path, file, change, expected):
    with pytest.raises(DataError) as err:
        load_plan_data(_break(tmp_path, file, change))
    assert any(expected in p for p in err.value.problems), err.value.problems


def test_parts_above_their_parent_and_a_missing_residual_are_refused(tmp_path):
    folder = copy_package(PACKAGES["default"], tmp_path / "p")
    header, rows = read(folder / "segments.csv")
    write(folder / "segments.csv", header, [r for r in rows if r["relation"] != "residual" and r["parent"] != "nonrail"])
    with pytest.raises(DataError) as err:
        load_plan_data(folder)
    assert any("no residual segment takes the rest" in p for p in err.value.problems)


def test_a_folder_in_the_old_flat_format_is_named_as_such(tmp_path):
    (tmp_path / "indicators.csv").write_text("indicator_id\nx\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_plan_data(tmp_path)
    assert "not a plan package (no plan.csv)" in err.value.problems[0]


# -- random trees: a total, parts (with or without their own base), a residual, shares ---------------------------

@st.composite
def trees(draw):
    n_parts = draw(st.integers(1, 4))
    residual = draw(st.booleans())
    total_base = draw(st.floats(100, 1e4))
    parts = [draw(st.floats(1, total_base / (n_parts + 1))) for _ in range(n_parts)]
    growth = [draw(st.floats(0.01, 0.3)) for _ in range(n_parts)]
    shares = draw(st.integers(0, 3)) if residual else 0
    return total_base, parts, growth, residual, shares


def _package(folder, total_base, parts, growth, residual, shares):
    folder.mkdir()
    (folder / "plan.csv").write_text("key,value,zh,en\nid,rand,,\nname,,随机,Random\nbase_year,2030,,\n"
                                     "target_year,2035,,\n", encoding="utf-8")
    ind = ["indicator_id,name_zh,year,value,unit,kind,comparator,measure,section_id,quote"]
    seg = ["segment_id,parent,relation,name_zh,base_id,target_id,share_pct"]
    total_target = 0.0
    for i, (b, g) in enumerate(zip(parts, growth)):
        t = b * (1 + g) ** 5
        total_target += t
        ind += [f"b{i},p{i},2030,{b!r},亿元,baseline,=,产值,1,q", f"t{i},p{i},2035,{t!r},亿元,target,=,产值,1,q"]
        seg.append(f"p{i},all,part,部分{i},b{i},t{i},")
    if residual:
        rest = total_base - sum(parts)
        ind.append(f"tb,总,2030,{total_base!r},亿元,baseline,=,产值,1,q")
        seg.insert(1, "all,,total,总,tb,,")
        seg.append("rest,all,residual,其他,,,")
        for k in range(shares):
            seg.append(f"s{k},rest,share,分{k},,,{100 / shares if k < shares - 1 else 100 - (shares - 1) * (100 / shares)!r}")
    else:
        seg.insert(1, "all,,total,总,,,")
    (folder / "indicators.csv").write_text("\n".join(ind) + "\n", encoding="utf-8")
    (folder / "segments.csv").write_text("\n".join(seg) + "\n", encoding="utf-8")
    return folder


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees())
def test_any_tree_projects_its_parts_onto_their_targets_and_the_total_is_their_sum(tmp_path_factory, tree):
    folder = _package(tmp_path_factory.mktemp("t") / "plan", *tree)
    data = load_plan_data(folder)
    assert check_plan(data) == []
    s = presets(data)["plan-targets"]
    p = run(data, s).projection
    leaves = list(s.segments)
    assert p.path[data.segments.root].to_numpy() == pytest.approx(p.path[leaves].sum(axis=1).to_numpy())
    for i in range(len(tree[1])):
        assert p.output[f"p{i}"] == pytest.approx(data.segment_target(f"p{i}"), rel=1e-9)
    if tree[3]:
        assert p.bases["rest"] == pytest.approx(tree[0] - sum(tree[1]))
        split = run(data, s.with_(split=True)).projection if tree[4] else None
        if split is not None:  # splitting into shares never changes the total
            assert split.output["all"] == pytest.approx(p.output["all"])


def test_the_next_plan_exported_as_a_package_loads_as_a_plan(tmp_path):
    """export --package: the next plan (rebased, user-set targets) as a plan package that checks and exports."""
    pkg = tmp_path / "draft"
    done = _cli("export", "--preset", "plan-targets", "--actuals", REPO / "tests/fixtures/nextplan/actuals-23.csv",
                "--target-year", 2030, "--target", "total=2300", "--target", "rail=2000", "--out", tmp_path / "o",
                "--package", pkg)
    assert done.returncode == 0, done.stderr
    draft = load_plan_data(pkg)
    assert draft.calendar.target_year == 2030 and draft.segment_target("total") == 2300
    assert _cli("check", "--plan", pkg).returncode == 0
    assert _cli("export", "--plan", pkg, "--preset", "plan-targets", "--out", tmp_path / "o2").returncode == 0
    bad = _cli("export", "--preset", "plan-targets", "--target", "nosuch=1", "--out", tmp_path / "o3")
    assert bad.returncode == 2 and "no segment 'nosuch'" in bad.stderr


# -- a package's files are bounded and read strictly (hostile packages) -------------------------------------------

def _raw(tmp_path, file, edit):
    folder = copy_package(PACKAGES["four-industries"], tmp_path / "hostile")
    path = folder / file
    path.write_bytes(edit(path.read_bytes()))
    return folder


def _problems(folder) -> list[str]:
    with pytest.raises(DataError) as err:
        load_plan_data(folder)
    return err.value.problems


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["projects.csv", "indicators.csv", "segments.csv", "areas.csv"]), st.data())
def test_a_quote_left_open_anywhere_is_refused_not_read_as_one_long_cell(tmp_path_factory, file, data):
    """An unclosed quote would swallow the rows after it into one cell (Annex 1 lost six projects and 42 亿元 so):
    a line break inside a cell is refused, naming the file and the row where the cell starts."""
    tmp = tmp_path_factory.mktemp("quote")
    src = (PACKAGES["four-industries"] / file).read_bytes().decode("utf-8-sig").splitlines()
    row = data.draw(st.integers(1, len(src) - 2))  # a data row with at least one row after it
    cells = src[row].split(",")
    col = data.draw(st.integers(0, len(cells) - 1))
    if cells[col].startswith('"'):
        return
    cells[col] = '"' + cells[col]
    src[row] = ",".join(cells)
    folder = _raw(tmp, file, lambda _: ("\n".join(src) + "\n").encode("utf-8"))
    problems = _problems(folder)
    assert any(p.startswith(f"{file}:{row + 1}:") and "line break inside a cell" in p for p in problems), problems


@pytest.mark.parametrize("edit, expected", [
    (lambda raw: raw.replace(b"\n", b"," + b",".join(b"x%d" % i for i in range(300)) + b"\n", 1),
     "columns"),
    (lambda raw: raw + b"".join(b"X%d,name,,,,,,,,\n" % i for i in range(10_050)), "more than 10,000 rows"),
    (lambda raw: raw.replace(b"\n", b"\n" + b"A" * 30_000 + b"\n", 1), "characters, more than"),
])
def test_a_file_too_wide_too_long_or_with_a_huge_cell_is_refused_within_a_second(tmp_path, edit, expected):
    import time

    folder = _raw(tmp_path, "projects.csv", edit)
    start = time.perf_counter()
    problems = _problems(folder)
    assert time.perf_counter() - start < 2.0
    assert any(p.startswith("projects.csv:") and expected in p for p in problems), problems


@pytest.mark.parametrize("column, value, expected", [
    ("land_mu", "-848", "projects.csv:2:land_mu: negative area"),
    ("land_mu", "1e300", "projects.csv:2:land_mu: area"),
    ("total_investment_wan", "1e15", "projects.csv:2:total_investment"),
])
def test_a_number_outside_its_units_range_is_refused_where_it_stands(tmp_path, column, value, expected):
    problems = _problems(_break(tmp_path, "projects.csv", _set("X1", column, value)))
    assert any(expected in p for p in problems), problems


def test_an_indicator_is_bounded_by_its_own_unit(tmp_path):
    def change(header, rows):
        rows[0]["value"], rows[0]["unit"] = "-2.5", "家"
        return header, rows
    problems = _problems(_break(tmp_path, "indicators.csv", change))
    assert any(p.startswith("indicators.csv:2:value: negative count") for p in problems), problems


def test_links_outside_the_package_and_folders_in_place_of_files_are_refused(tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("root:x:0:0\n", encoding="utf-8")
    folder = copy_package(PACKAGES["four-industries"], tmp_path / "linked")
    (folder / "areas.csv").unlink()
    (folder / "areas.csv").symlink_to(outside)
    (folder / "projects.csv").unlink()
    (folder / "projects.csv").mkdir()
    problems = _problems(folder)
    assert any(p.startswith("areas.csv:-:-: a link to a file outside the package") for p in problems), problems
    assert any(p.startswith("projects.csv:-:-: not a regular file") for p in problems), problems
    assert not any("root:x" in p for p in problems)  # the outside file is never read


def test_a_very_deep_segment_chain_is_an_answer_not_a_traceback(tmp_path):
    def change(header, rows):
        first = dict(next(r for r in rows if r["relation"] == "part"))
        parent = first["segment_id"]
        for i in range(1200):
            rows.append({**{h: "" for h in header}, "segment_id": f"deep{i}", "parent": parent,
                         "relation": "part", "code": f"d{i}", "name_zh": f"深{i}"})
            parent = f"deep{i}"
        return header, rows
    try:
        load_plan_data(_break(tmp_path, "segments.csv", change))
    except DataError as exc:
        assert exc.problems  # refused with its reasons: never a RecursionError


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(["\u202e", "\u200b", "\x07", "\x1b", "\ufeff", "\u2066"]), min_size=1,
               max_size=4))
def test_invisible_and_control_characters_never_enter_from_a_package(tmp_path_factory, junk):
    """Bidi, zero-width and control characters are removed from every cell as the package is read (one cleaner for
    everything that enters); a name made of them only is an empty name, and refused as one."""
    folder = _break(tmp_path_factory.mktemp("junk"), "segments.csv", _set("materials", "name_zh", f"新{junk}材料"))
    data = load_plan_data(folder)
    assert data.seg_name("materials", "zh") == "新材料"
    with pytest.raises(DataError) as err:
        load_plan_data(_break(tmp_path_factory.mktemp("only"), "segments.csv", _set("materials", "name_zh", junk)))
    assert any(p.startswith("segments.csv:3:name_zh:") for p in err.value.problems), err.value.problems


@pytest.mark.parametrize("markup", ["**B**", ":red[R]", "$$x$$", "[x](https://e.x)", "![](http://e.x/i.png)",
                                    "<img src=x onerror=alert(1)>", "`code`", "&#60;b&#62;", ":blue-badge[x]"])
@pytest.mark.parametrize("where", [("segments.csv", "materials", "segment_id", "name_zh"),
                                   ("areas.csv", None, "area_id", "name_en"), ("plan.csv", "name", "key", "zh")])
def test_markup_in_a_name_is_refused_with_its_cell(tmp_path, markup, where):
    """Names reach titles, labels, captions and badges, which Streamlit renders as Markdown: **B** rendered bold, a
    link or an image (a remote request) was live. A name is plain text: markup is refused, naming its cell."""
    from model.plan.tables import DataError, load_plan_data
    from tests.plans_support import PACKAGES, copy_package, read, write

    folder = copy_package(PACKAGES["four-industries"], tmp_path / "p")
    file, key, id_col, col = where
    header, rows = read(folder / file)
    target = next(i for i, r in enumerate(rows) if key is None or r[id_col] == key)
    rows[target] = {**rows[target], col: f"名称{markup}"}
    write(folder / file, header, rows)
    with pytest.raises(DataError) as exc:
        load_plan_data(folder)
    assert any(p.startswith(f"{file}:{target + 2}:{col}:") and "markup" in p for p in exc.value.problems), \
        exc.value.problems


@pytest.mark.parametrize("layout", ["out-in-package", "package-in-out", "same", "package-taken", "out-taken"])
def test_export_with_a_package_writes_both_folders_or_neither(tmp_path, layout):
    """export --out b/x --package b wrote the export, then refused the package and said "nothing was written".
    Both destinations are checked before either is written."""
    out, pkg = {"out-in-package": (tmp_path / "b/x", tmp_path / "b"), "package-in-out": (tmp_path / "o", tmp_path / "o/p"),
                "same": (tmp_path / "s", tmp_path / "s"), "package-taken": (tmp_path / "o", tmp_path / "p"),
                "out-taken": (tmp_path / "o", tmp_path / "p")}[layout]
    taken = {"package-taken": pkg, "out-taken": out}.get(layout)
    if taken is not None:
        taken.mkdir(parents=True)
        (taken / "mine.txt").write_text("keep", encoding="utf-8")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    done = _cli("export", "--preset", "plan-targets", "--actuals", REPO / "tests/fixtures/nextplan/actuals-23.csv",
                "--target-year", 2030, "--target", "total=2300", "--target", "rail=2000", "--out", out,
                "--package", pkg)
    assert done.returncode == 2 and "nothing was written" in done.stderr, (done.stdout, done.stderr)
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1990, 2030), st.integers(1990, 2030))
def test_the_city_trend_runs_from_an_earlier_year_to_a_later(tmp_path_factory, early, late):
    """The two city figures swapped (earlier base in 2024, base in 2020) passed and turned the city trend's sign
    (+5.47 % read −6.44 %); one year for both divided by zero, reported against presets.csv. The earlier figure's
    year must come first, named at its row; otherwise the trend is the growth between the two."""
    folder = copy_package(PACKAGES["default"], tmp_path_factory.mktemp("pf") / "p")
    header, rows = read(folder / "public_figures.csv")
    for r in rows:
        if r["role"] == "city_earlier_base":
            r["year"], row_no = str(early), rows.index(r) + 2
        elif r["role"] == "city_base":
            r["year"] = str(late)
    write(folder / "public_figures.csv", header, rows)
    if early < late:
        data = load_plan_data(folder)
        from model.scenario.presets import city_trend

        a, b = data.role_amount("city_earlier_base"), data.role_amount("city_base")
        assert city_trend(data) == pytest.approx((b / a) ** (1 / (late - early)) - 1)
    else:
        with pytest.raises(DataError) as exc:
            load_plan_data(folder)
        assert any(p.startswith(f"public_figures.csv:{row_no}:year: the city_earlier_base figure is for {early}")
                   for p in exc.value.problems), exc.value.problems


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(-3, 3), st.integers(-3, 25), st.one_of(st.none(), st.integers(-3, 30)))
def test_a_calendar_no_plan_can_have_is_named_in_plan_csv(tmp_path_factory, first_off, length, long_off):
    """A plan period ending before it starts, longer than 21 years, starting before the base year, or a long-term
    horizon not after the target year was reported against presets.csv, or as a command's failure, or accepted.
    Each is named at its plan.csv row; a calendar without them loads."""
    folder = copy_package(PACKAGES["one-segment"], tmp_path_factory.mktemp("cal") / "p")
    header, rows = read(folder / "plan.csv")
    by = {r["key"]: r for r in rows}
    base, target = int(by["base_year"]["value"]), int(by["target_year"]["value"])
    first, last = base + first_off, base + first_off + length
    rows = [r for r in rows if r["key"] not in ("long_term_year", "plan_first_year", "plan_last_year")]
    rows += [{**{c: "" for c in header}, "key": k, "value": str(v)}
             for k, v in (("plan_first_year", first), ("plan_last_year", last))]
    if long_off is not None:
        rows.append({**{c: "" for c in header}, "key": "long_term_year", "value": str(target + long_off)})
    write(folder / "plan.csv", header, rows)
    wrong = {"plan_first_year": first < base, "plan_last_year": last < first or last - first > 20,
             "long_term_year": long_off is not None and long_off <= 0}
    try:
        load_plan_data(folder)
        problems = []
    except DataError as exc:
        problems = exc.problems
    for name, bad in wrong.items():
        named = [p for p in problems if p.startswith("plan.csv:") and f":value: {name}:" in p]
        assert bool(named) == bad, (name, problems)
    if not any(wrong.values()):
        assert not problems, problems


def _alike(text: str, how: str) -> str:
    """``text`` as another id that reads the same: other case, or full width."""
    if how == "case":
        return text.swapcase() if text.swapcase() != text else text + "A".swapcase()  # no letter: not alike
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["indicators.csv", "public_figures.csv", "areas.csv", "enumerations.csv", "tasks.csv",
                        "projects.csv", "plan_sections.csv"]),
       st.sampled_from(["case", "width"]), st.data())
def test_two_ids_or_codes_that_read_alike_are_refused_at_the_second(tmp_path_factory, file, how, data):
    """Indicator ids differing only in case (Revenue_2030, revenue_2030) passed: the evaluation listed two rows of
    one name and refused the actual typed in capitals; two categories with one link code lost every category delay
    of a link. In any file, an id (or an enumeration's code) that reads as another's is refused, naming its row."""
    from model.cleaning import folded

    folder = copy_package(PACKAGES["default"], tmp_path_factory.mktemp("alike") / "p")
    header, rows = read(folder / file)
    col = {"indicators.csv": "indicator_id", "public_figures.csv": "figure_id", "areas.csv": "area_id",
           "enumerations.csv": "code", "tasks.csv": "task_id", "projects.csv": "project_id",
           "plan_sections.csv": "section_id"}[file]
    candidates = [r for r in rows if r[col] and folded(_alike(r[col], how)) == folded(r[col])
                  and _alike(r[col], how) != r[col]]
    if not candidates:
        return
    src = data.draw(st.sampled_from(candidates), label="row copied")
    copy = {**src, col: _alike(src[col], how)}
    if file == "enumerations.csv":
        copy["value"] = copy["value"] + "（另）"  # another value with a code that reads as src's
    rows.append(copy)
    write(folder / file, header, rows)
    if file == "tasks.csv":
        from model.io.tasks import key_tasks

        with pytest.raises(DataError) as exc:
            key_tasks(load_plan_data(folder))
    else:
        with pytest.raises(DataError) as exc:
            load_plan_data(folder)
    where = f"{file}:{len(rows) + 1}:{col}: "
    assert any(p.startswith(where) and ("only in case or width" in p or "reads as" in p)
               for p in exc.value.problems), (where, exc.value.problems[:5])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.none(), st.integers(5, 60)), st.one_of(st.none(), st.integers(5, 60)),
       st.one_of(st.none(), st.integers(5, 60)))
def test_a_roads_width_lies_in_its_printed_range(tmp_path_factory, lo, hi, width):
    """width_min_m 50 beside width_m and width_max_m 24 passed. A range's lower end is not above its upper end, and
    a width given with a range lies in it; the row and column are named."""
    folder = copy_package(PACKAGES["default"], tmp_path_factory.mktemp("w") / "p")
    header, rows = read(folder / "roads.csv")
    for c in ("width_min_m", "width_max_m", "width_m"):
        if c not in header:
            header.append(c)
    rows[0].update({"width_min_m": "" if lo is None else str(lo), "width_max_m": "" if hi is None else str(hi),
                    "width_m": "" if width is None else str(width)})
    write(folder / "roads.csv", header, rows)
    bad_range = lo is not None and hi is not None and lo > hi
    outside = not bad_range and width is not None and ((lo is not None and width < lo) or
                                                       (hi is not None and width > hi))
    try:
        load_plan_data(folder)
        problems = []
    except DataError as exc:
        problems = exc.problems
    assert any(p.startswith("roads.csv:2:width_min_m:") for p in problems) == bad_range, problems
    assert any(p.startswith("roads.csv:2:width_m:") for p in problems) == outside, problems
    if not (bad_range or outside):
        assert not problems, problems
