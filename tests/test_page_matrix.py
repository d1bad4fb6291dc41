"""Every page in every role and mode, with and without a library, every lazy panel and tab opened (issue 21, class 4).

The pages come from the app's own list (``ui.layout.PAGES``), the panels from the pages themselves: every call of
``layout.lazy_expander`` and every lazy ``st.tabs`` is recorded while a page runs, then each panel is opened (nested
ones appear once their parent is open) and each tab shown, until nothing new turns up. So a new page, panel or tab is
walked without editing this test. Roles: ``open`` (no editor accounts: everyone edits), ``viewer`` (accounts, not
signed in), ``editor`` (signed in on the Compare page), ``signed-out`` (signed in, then out). Modes: normal,
read-only (``SHIFENG_READ_ONLY=1``) and presentation (``present=1``). Library: ``seeded`` (scenarios with versions
and a trash, an actuals set, project and road lists, named by the link; execution reports in the session),
``empty`` (a new database) or ``broken`` (a file that is no database). After every run: no exception and no generic error message.

One AppTest session walks all pages of a combination (caches stay warm across combinations); languages alternate.
"""
from __future__ import annotations

import os
import time

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from model.report.text import tr
from tests.conftest import REPO

TIMEOUT = 60
FIX = REPO / "tests" / "fixtures"
GENERIC = {tr("error_generic", "zh"), tr("error_generic", "en")}
ROLES = ("open", "viewer", "editor", "signed-out")
MODES = ("normal", "read-only", "presentation")
# Every role and mode on a seeded library (signing out differs from never signing in only in normal mode's message);
# a broken library (no one can sign in) and an empty one in the combinations where what they show can differ. Kept
# to what ~60 s on two cores allows.
COMBOS = ([("seeded", mode, role) for mode in MODES for role in ("open", "viewer", "editor")]
          + [("seeded", "normal", "signed-out")]
          + [("broken", mode, role) for mode in ("normal", "read-only") for role in ("open", "viewer")]
          + [("broken", "presentation", "open"), ("empty", "normal", "open"), ("empty", "read-only", "viewer"),
             ("empty", "presentation", "editor")])
# Plans of other shapes (tests/plans): a subset of roles and modes, on the pages of any plan (the evaluation, next-plan,
# monitoring and per-mu pages join once they read any plan).
PLANS = {"four": "synthetic-four-2026-2030", "one": "synthetic-one-2026-2030", "three": "three-levels",
         "sum": "sum-of-parts"}
PLAN_COMBOS = [("four", "normal", "open"), ("four", "read-only", "viewer"), ("four", "presentation", "editor"),
               ("one", "normal", "viewer"), ("one", "presentation", "open"), ("three", "normal", "editor"),
               ("sum", "read-only", "viewer")]
ANY_PLAN_PAGES = ("app.py", "pages/1_output.py", "pages/2_phasing.py", "pages/3_compare.py", "pages/5_analysis.py",
                  "pages/6_story.py", "pages/4_sources.py")
PASSWORD = "correct horse"
TIMES: dict[str, float] = {}  # seconds per combination (printed at the end)
PAGE_TIMES: dict[str, float] = {}  # seconds per page over all combinations (SHIFENG_MATRIX_VERBOSE=1 prints them)
SEEN_PANELS: set[str] = set()
WALKED: list[tuple] = []  # (where, panels opened, tabs shown, charts and tables on the last run)


# -- what the pages draw: recorded while they run -----------------------------------------------------------

class Recorder:
    """Keys of the lazy panels and the tabs (key, labels) each page drew in its last runs."""

    def __init__(self):
        self.panels: set[str] = set()
        self.tabs: dict[str, list[str]] = {}

    def clear(self) -> None:
        self.panels, self.tabs = set(), {}


REC = Recorder()


@pytest.fixture(scope="module", autouse=True)
def recording():
    from ui import layout

    real_lazy, real_tabs = layout.lazy_expander, st.tabs

    def lazy(label, key, **kw):
        REC.panels.add(key)
        return real_lazy(label, key, **kw)

    def tabs(labels, *a, **kw):
        if kw.get("key"):
            REC.tabs[kw["key"]] = list(labels)
        return real_tabs(labels, *a, **kw)

    mp = pytest.MonkeyPatch()
    mp.setattr(layout, "lazy_expander", lazy)
    mp.setattr(st, "tabs", tabs)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    mp.undo()
    if os.environ.get("SHIFENG_MATRIX_VERBOSE"):
        print("\n".join(map(str, WALKED)))
        print({k: round(v, 1) for k, v in PAGE_TIMES.items()})
    if TIMES:
        print(f"\npage matrix: {len(TIMES)} combinations, {sum(TIMES.values()):.1f} s "
              f"(slowest {max(TIMES, key=TIMES.get)}: {max(TIMES.values()):.1f} s)")


# -- the libraries ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A library with two versions of a scenario, one in the trash, an actuals set and both lists; and the link of a
    next-plan scenario that names them (as=, pj=, rd=)."""
    from model import load_plan_data, presets
    from model.calc.nextplan import next_plan
    from model.io.actuals import ActualsSet
    from model.io.auth import Actor
    from model.io.library import Library
    from model.io.lists import PlanList
    from model.share import encode

    db = tmp_path_factory.mktemp("matrix") / "lib.db"
    data = load_plan_data()
    base = presets(data)["plan-targets"]
    aset = ActualsSet.from_path(FIX / "nextplan" / "actuals.csv", data)
    pl = PlanList.from_path(FIX / "nextplan" / "projects.csv")
    rl = PlanList.from_path(FIX / "nextplan" / "roads.csv", "roads")
    with Library(db, Actor.cli("seed")) as lib:
        lib.save("区委汇报", base, author="规划科", note="初稿")
        lib.save("区委汇报", base.with_growth(rail_transit=0.06), note="第二稿\n改增速")
        lib.save("旧稿", presets(data)["zero-growth"])
        lib.delete("旧稿")
        lib.save_document("actuals", "终期评估", aset.to_csv_text())
        lib.save_document("projects", "十五五项目", pl.to_csv_text())
        lib.save_document("roads", "十五五道路", rl.to_csv_text())
    s = next_plan(base, data, actuals=aset.frame(), base_year=2025, target_year=2030, target_total=2300,
                  target_rail=2000, actuals_ref=aset.short_id).with_(projects_ref=pl.short_id,
                                                                     roads_ref=rl.short_id)
    return db, encode(s, base)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    db = tmp_path_factory.mktemp("matrix-broken") / "bad.db"
    db.write_bytes(b"not sqlite" * 50)
    return db


def _accounts(monkeypatch, role: str) -> None:
    from model.io import auth as auth_module
    from model.io.auth import Auth, hash_password

    auth = Auth() if role == "open" else Auth(
        editors={"规划科": hash_password(PASSWORD, memory_kib=8, time_cost=1)}, max_failures=3)
    monkeypatch.setattr(auth_module.Auth, "from_secrets", classmethod(lambda cls, paths=None: auth))


# -- the walk ------------------------------------------------------------------------------------------

def check(at: AppTest, where: str) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    generic = [e.value for e in at.error if e.value in GENERIC]
    assert not generic, (where, "the generic error is shown")


def run_page(at: AppTest, page: str, where: str) -> None:
    """Show ``page`` with every panel open, then every tab of it, until no new panel or tab appears."""
    REC.clear()
    t0 = time.perf_counter()
    at.switch_page(page).run()
    check(at, where)
    PAGE_TIMES[page] = PAGE_TIMES.get(page, 0.0) - t0  # the walk's end adds its time: the page's total
    opened: set[str] = set()
    shown: set[tuple[str, str]] = set()
    for _ in range(8):
        new_panels = REC.panels - opened
        new_tabs = [(k, label) for k, labels in REC.tabs.items() for label in labels[1:] if (k, label) not in shown]
        if not new_panels and not new_tabs:
            SEEN_PANELS.update(opened)
            PAGE_TIMES[page] += time.perf_counter()
            WALKED.append((where, len(opened), len(shown), len(at.get("vega_lite_chart")), len(at.dataframe)))
            return
        for key in new_panels:
            at.session_state[key] = True
        opened |= new_panels
        if new_panels:
            at.run()
            check(at, f"{where} panels {sorted(new_panels)}")
            continue
        for key, label in new_tabs:  # each tab in turn, with every panel of the page kept open
            for k in opened:
                at.session_state[k] = True
            at.session_state[key] = label
            at.run()
            check(at, f"{where} tab {label}")
            shown.add((key, label))
            if REC.panels - opened:
                break
    raise AssertionError(f"{where}: panels keep appearing")


def sign_in(at: AppTest) -> None:
    at.switch_page("pages/3_compare.py")
    at.session_state["open_library"] = True
    at.run()
    at.text_input(key="si_name").input("规划科")
    at.text_input(key="si_password").input(PASSWORD)
    submit = next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:sign_in_form"))
    submit.click().run()
    check(at, "sign in")
    assert at.session_state["editor_session"], "signed in"


@pytest.mark.parametrize("lib, mode, role", COMBOS, ids=["-".join(c) for c in COMBOS])
def test_every_page_in_every_role_and_mode_opens_every_panel_without_an_error(lib, mode, role, request, broken,
                                                                                tmp_path, monkeypatch):
    from ui import documents
    from ui.layout import PAGES

    t0 = time.perf_counter()
    lang = "en" if COMBOS.index((lib, mode, role)) % 2 else "zh"
    db, query = request.getfixturevalue("seeded") if lib == "seeded" else (broken, {}) if lib == "broken" else (
        tmp_path / "empty.db", {})
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(db))
    if mode == "read-only":
        monkeypatch.setenv("SHIFENG_READ_ONLY", "1")
    else:
        monkeypatch.delenv("SHIFENG_READ_ONLY", raising=False)
    _accounts(monkeypatch, role)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    for k, v in {**query, **({"lang": "en"} if lang == "en" else {}),
                 **({"present": "1"} if mode == "presentation" else {})}.items():
        at.query_params[k] = v
    if lib == "seeded":  # the evaluation's execution reports live in the session only
        from model.io.actuals import ProjectActuals, RoadActuals

        at.session_state[documents.EXEC_PROJECTS] = ProjectActuals.from_path(FIX / "actuals" / "projects.csv")
        at.session_state[documents.EXEC_ROADS] = RoadActuals.from_path(FIX / "actuals" / "roads.csv")
    at.run()
    check(at, "start")
    if role in ("editor", "signed-out"):
        sign_in(at)
        if role == "signed-out":
            at.button(key="sign_out").click().run()
            check(at, "sign out")
            assert "editor_session" not in at.session_state or not at.session_state["editor_session"]
    for page, _, _ in PAGES:
        run_page(at, page, f"{lib}/{mode}/{role}/{lang} {page}")
    TIMES["-".join((lib, mode, role))] = time.perf_counter() - t0


@pytest.mark.parametrize("plan, mode, role", PLAN_COMBOS, ids=["-".join(c) for c in PLAN_COMBOS])
def test_every_page_of_another_plan_opens_every_panel_without_an_error(plan, mode, role, tmp_path, monkeypatch):
    t0 = time.perf_counter()
    lang = "en" if PLAN_COMBOS.index((plan, mode, role)) % 2 else "zh"
    monkeypatch.setenv("SHIFENG_PLANS", str(REPO / "tests" / "plans"))
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(tmp_path / "lib.db"))
    if mode == "read-only":
        monkeypatch.setenv("SHIFENG_READ_ONLY", "1")
    else:
        monkeypatch.delenv("SHIFENG_READ_ONLY", raising=False)
    _accounts(monkeypatch, role)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    for k, v in {"plan": PLANS[plan], **({"lang": "en"} if lang == "en" else {}),
                 **({"present": "1"} if mode == "presentation" else {})}.items():
        at.query_params[k] = v
    at.run()
    check(at, "start")
    assert at.session_state["scenario"].plan_data.id == PLANS[plan]
    if role in ("editor", "signed-out"):
        sign_in(at)
    for page in ANY_PLAN_PAGES:
        run_page(at, page, f"{plan}/{mode}/{role}/{lang} {page}")
        assert at.session_state["scenario"].plan_data.id == PLANS[plan], page
    TIMES["-".join((plan, mode, role))] = time.perf_counter() - t0


def test_the_walk_sees_every_lazy_panel_the_pages_define():
    """The recorder is not blind: every lazy_expander key written in the code was opened by some combination
    (keys built at run time, like the downloads' prefix, are matched by their ending)."""
    import re

    keys = set()
    for path in [REPO / "app.py", *(REPO / "pages").glob("*.py"), *(REPO / "ui").glob("*.py")]:
        keys |= set(re.findall(r"lazy_expander\([^\n]*?,\s*f?\"([a-z_{}]+)\"", path.read_text(encoding="utf-8")))
    assert keys, "no panels found in the code"
    if not SEEN_PANELS:
        pytest.skip("runs after the matrix (deselected here)")
    missing = [k for k in keys if not any(s == k or s.endswith(k.split("}")[-1]) for s in SEEN_PANELS)]
    # panels drawn only once a confidential file is loaded (never in a library a viewer can open): their page's
    # own tests open them
    elsewhere = {k for k in missing if k in (REPO / "tests" / "test_page_mujun.py").read_text(encoding="utf-8")}
    assert not set(missing) - elsewhere, sorted(set(missing) - elsewhere)

