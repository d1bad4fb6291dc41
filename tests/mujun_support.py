"""Synthetic enterprises for the per-mu efficiency tests and the benchmark: made-up firms, never real ones.

Areas, industries and names are invented; figures are drawn from a seeded generator. ``AREAS`` stand in for a plan's
areas (the model never sees the real ones in these tests).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from model.io.enterprises import credit_check_char

AREAS = {"北区": {"zh": "北区", "en": "North area"}, "南区": {"zh": "南区", "en": "South area"}}
INDUSTRIES = ("装备制造", "电子信息", "新材料", "现代服务")
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(i: int) -> str:
    """A valid-looking (check character right) but invented unified social credit code."""
    body = f"91430204{i:09d}"  # 91 (enterprise), 430204 (a made-up region code), a serial
    body = "".join(_ALPHABET[int(c)] for c in body)
    return body + credit_check_char(body)


def synthetic(n: int, seed: int = 0, below_share: float = 0.3, exempt_share: float = 0.05) -> pd.DataFrame:
    """n firms with every column of the enterprise file (canonical ids), plausible magnitudes."""
    rng = np.random.default_rng(seed)
    below = rng.random(n) < below_share
    land = np.round(rng.uniform(5, 300, n), 2)
    revenue = np.round(land * rng.lognormal(np.log(900), 0.6, n), 2)
    tax = np.round(revenue * rng.uniform(0.01, 0.05, n), 2)
    va = np.round(revenue * rng.uniform(0.15, 0.35, n), 2)
    energy = np.round(va / rng.uniform(0.5, 5, n), 2)
    emissions = np.round(va / rng.uniform(20, 400, n), 3)
    employees = rng.integers(10, 3000, n).astype(float)
    rd = np.round(revenue * rng.uniform(0, 0.06, n), 2)
    exempt = rng.random(n) < exempt_share
    reason = np.where(exempt, rng.choice(["utility", "startup", "construction"], n), "")
    df = pd.DataFrame({
        "name": [f"合成企业{i:05d}有限公司" for i in range(n)],
        "credit_code": [credit_code(i) for i in range(n)],
        "area": rng.choice(list(AREAS), n),
        "scale": np.where(below, "below", "above"),
        "industry": rng.choice(INDUSTRIES, n),
        "land_mu": land, "tax_wan": tax, "revenue_wan": revenue,
        "value_added_wan": np.where(below, np.nan, va), "energy_tce": np.where(below, np.nan, energy),
        "emissions_t": np.where(below, np.nan, emissions), "employees": np.where(below, np.nan, employees),
        "rd_wan": np.where(below, np.nan, rd), "exempt_reason": reason, "bonus": np.nan,
    })
    return df


def equal_but_tax(n: int = 40, land: float = 10.0) -> pd.DataFrame:
    """n above-scale firms alike in everything but their tax (so tax per mu = 1, 2, … n 万元/亩, firm i paying i)."""
    i = np.arange(1, n + 1)
    return pd.DataFrame({
        "name": [f"同质企业{k:03d}" for k in i], "credit_code": "", "area": "北区", "scale": "above",
        "industry": "装备制造", "land_mu": land, "tax_wan": i * land, "revenue_wan": 5000.0,
        "value_added_wan": 1000.0, "energy_tce": 500.0, "emissions_t": 10.0, "employees": 100.0, "rd_wan": 150.0,
        "exempt_reason": "", "bonus": np.nan})


def to_csv_bytes(df: pd.DataFrame, bom: bool = True) -> bytes:
    text = df.to_csv(index=False, lineterminator="\r\n", float_format=None)
    return text.encode("utf-8-sig" if bom else "utf-8")
