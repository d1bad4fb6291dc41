"""Every widget bound to the scenario has the scenario's value as its default, so a widget the browser hands back
at its default changes nothing (issue #22: a burst of slider presses on the next-plan page once came back with the
targets' number inputs at their minimum, 1e-6, a number input's default when none is given, and the growth rates
followed the targets to −98 %).

On the slider pages, for the default plan's presets and random growth rates: each bound widget's default (the proto
Streamlit sends) equals the value it shows; and each number input and slider set to its own default leaves the
scenario, its link and its ID as they were."""
from __future__ import annotations

import math

import pytest
import streamlit as st
from hypothesis import given, settings
from hypothesis import strategies as hst
from streamlit.testing.v1 import AppTest

from tests.apptest_support import ok, open_page

PAGES = ["pages/1_output.py", "pages/2_phasing.py", "pages/5_analysis.py", "pages/8_nextplan.py"]


@pytest.fixture(autouse=True)
def _clean(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIFENG_LIBRARY_DB", str(tmp_path / "lib.db"))
    for k in ("SHIFENG_PLAN", "SHIFENG_PLANS", "SHIFENG_DATA", "SHIFENG_READ_ONLY"):
        monkeypatch.delenv(k, raising=False)
    st.cache_data.clear()
    yield


def _bound_keys(monkeypatch) -> list[str]:
    """The keys ui.state.bound draws, in order, recorded through its seed."""
    from ui import state

    keys: list[str] = []
    seed = state.seed

    def recording(key, value):
        keys.append(key)
        return seed(key, value)

    monkeypatch.setattr(state, "seed", recording)
    return keys


def _widgets(at: AppTest, keys: list[str]) -> dict:
    """key -> the AppTest widget, for every bound key drawn on the page."""
    found = {}
    for kind in ("number_input", "slider", "select_slider", "selectbox", "radio", "toggle"):
        for w in getattr(at, kind):
            if w.key in keys:
                found[w.key] = w
    return found


def _close(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _default_matches(w) -> bool:
    p = w.proto
    kind = type(w).__name__
    if kind == "NumberInput":
        default = p.default if p.HasField("default") else None
        return (default is None and w.value is None) or (default is not None and w.value is not None
                                                          and _close(default, w.value))
    if kind == "Slider":
        shown = list(w.value) if isinstance(w.value, (tuple, list)) else [w.value]
        return len(p.default) == len(shown) and all(_close(a, b) for a, b in zip(p.default, shown))
    if kind == "Toggle":
        return bool(p.default) == bool(w.value)
    if kind in ("Selectbox", "Radio"):
        default = p.default if kind == "Radio" else (p.default if p.HasField("default") else None)
        return default == w.index
    if kind == "SelectSlider":
        shown = list(w.value) if isinstance(w.value, (tuple, list)) else [w.value]
        return list(p.default) == [w.options.index(str(w.format_func(v))) for v in shown]
    raise AssertionError(kind)


@pytest.mark.parametrize("page", PAGES)
def test_every_bound_widget_defaults_to_what_it_shows(page, monkeypatch):
    keys = _bound_keys(monkeypatch)
    at = open_page(page, {"rail": "9.3"})
    widgets = _widgets(at, keys)
    assert widgets, f"no bound widget found on {page}"
    wrong = {k: (w.proto.default, w.value) for k, w in widgets.items() if not _default_matches(w)}
    assert not wrong, wrong


@settings(max_examples=6, deadline=None)
@given(page=hst.sampled_from(PAGES), rail=hst.decimals(min_value=-5, max_value=25, places=1).map(float),
       preset=hst.sampled_from(["plan-targets", "historical-trend", "zero-growth"]))
def test_a_widget_handed_back_at_its_default_changes_nothing(page, rail, preset):
    with pytest.MonkeyPatch.context() as mp:  # one recorder per example, not one wrapped around the last
        keys = _bound_keys(mp)
        at = open_page(page, {"n": preset, "rail": f"{rail:g}"})
    before = sorted(at.query_params.items())
    widgets = _widgets(at, keys)
    handed = 0
    for w in widgets.values():
        kind = type(w).__name__
        p = w.proto
        if kind == "NumberInput" and p.HasField("default"):
            w.set_value(p.default)
        elif kind == "Slider":
            vals = [int(v) if p.data_type in (p.INT,) else v for v in p.default]
            w.set_value(vals[0] if len(vals) == 1 else tuple(vals))
        elif kind == "Toggle":
            w.set_value(bool(p.default))
        else:
            continue
        handed += 1
    assert handed, f"no number input, slider or toggle bound on {page}"
    at.run()
    ok(at)
    assert sorted(at.query_params.items()) == before
