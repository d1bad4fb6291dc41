"""The plan packages the tests run over: the default plan and the synthetic packages of other shapes, and helpers to
make variants of a package (a shifted calendar, a broken file)."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from model.plan.tables import DATA_DIR, load_plan_data

REPO = Path(__file__).resolve().parent.parent
SYNTHETIC = REPO / "tests" / "plans"
PACKAGES = {"default": DATA_DIR, "four-industries": SYNTHETIC / "four-industries",
            "one-segment": SYNTHETIC / "one-segment"}
YEAR_COLUMNS = {"indicators.csv": ("year",), "projects.csv": ("start_year", "end_year"),
                "roads.csv": ("start_year", "end_year"), "public_figures.csv": ("year",)}
YEAR_KEYS = ("base_year", "target_year", "plan_first_year", "plan_last_year", "horizon", "long_term_year")


def load(name: str):
    return load_plan_data(PACKAGES[name])


def read(path: Path) -> tuple[list[str], list[dict]]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    return header, rows


def write(path: Path, header: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def copy_package(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def shift_years(folder: Path, by: int) -> Path:
    """Every year of a package moved by ``by`` (calendar, rows, annexes, periods such as 2016-2020)."""
    header, rows = read(folder / "plan.csv")
    for r in rows:
        if r["key"] in YEAR_KEYS and r["value"]:
            r["value"] = str(int(r["value"]) + by)
    write(folder / "plan.csv", header, rows)
    for file, cols in YEAR_COLUMNS.items():
        if not (folder / file).is_file():
            continue
        header, rows = read(folder / file)
        for r in rows:
            for c in cols:
                if r.get(c):
                    r[c] = str(int(r[c]) + by)
            if r.get("period") and "-" in r["period"]:
                a, b = r["period"].split("-", 1)
                if a.isdigit() and b.isdigit():
                    r["period"] = f"{int(a) + by}-{int(b) + by}"
        write(folder / file, header, rows)
    return folder
