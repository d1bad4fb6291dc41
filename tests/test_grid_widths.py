"""Every wide table a page splits into views (ui.layout.column_view) has each view whole on a projector with the
sidebar open: its column widths add up to at most ui.layout.GRID_PX (the grid's box at 1280×720). The browser
tests check the drawn pages; this checks every view, including those no browser test opens. Read from the pages'
source (a page runs when imported)."""
from __future__ import annotations

import ast

import pytest

from tests.conftest import REPO
from ui.layout import GRID_PX

VIEWS = {"pages/9_monitoring.py": ("REGISTER_VIEWS",),
         "pages/10_mujun.py": ("FIRM_WIDTHS", "AGG_WIDTHS")}


def constants(path: str) -> dict:
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    out = {}
    for node in tree.body:
        for t in node.targets if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) else ():
            if isinstance(t, ast.Name):
                try:
                    out[t.id] = ast.literal_eval(node.value)
                except ValueError:  # a dict built from names: not a table of widths
                    pass
    return out


@pytest.mark.parametrize("path", sorted(VIEWS))
def test_every_view_fits_the_projector_with_the_sidebar_open(path):
    found = constants(path)
    for name in VIEWS[path]:
        views = found[name]
        views = views if all(isinstance(v, dict) for v in views.values()) else {"all": views}
        for view, widths in views.items():
            assert sum(widths.values()) <= GRID_PX, f"{path} {name}[{view}]: {sum(widths.values())} px"
            assert all(40 <= px <= 400 for px in widths.values()), (path, name, view)


def test_the_register_views_show_every_column_of_the_register():
    from model import load_plan_data
    from model.io.tasks import register_table
    views = constants("pages/9_monitoring.py")["REGISTER_VIEWS"]
    shown = {c for w in views.values() for c in w}
    cols = set(register_table(load_plan_data(), None, "zh").columns) | {"warning"}
    assert cols <= shown, cols - shown
