"""Widgets generated from the field table: label, help, unit and range come from model.scenario.fields.

Every widget shows the scenario's current value whatever it is (a link may set any value the model accepts): its
range is the field's comfortable range widened to include that value, never beyond what the model allows.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from model.numbers import pct_to_rate
from model.report import labels
from model.report.labels import without_pct_unit
from model.scenario.fields import Field, field_of as _field_of, widget_range
from model.scenario.frozen import FrozenMap
from model.scenario.kinds import MapKind, Rate

from . import state
from .i18n import _context, fixed, lang, t


def _is_rate(f: Field) -> bool:
    kind = f.kind.item if isinstance(f.kind, MapKind) else f.kind
    return isinstance(kind, Rate)


def field_of(name: str) -> Field:
    """Field ``name`` bound to the session's plan."""
    return _field_of(name, state.load_data())


def label(f: Field, key=None, **kw) -> str:
    """A field's label: from the field table and the plan (segment, area and role names) for ``key``; ``kw``
    given, the label's placeholders from ``kw`` (and the plan's names)."""
    if kw:
        return t(f.label_key, **kw)
    return labels.field_label(f, lang(), _context(), key=key, data=state.load_data(), s=state.scenario())


def help_text(f: Field, **kw) -> str:
    if "note" in placeholders_of(f.help_key) and "note" not in kw:
        kw["note"] = default_note(f.name)
    return t(f.help_key, **kw)


def placeholders_of(key: str) -> frozenset[str]:
    from model.report.text import placeholders

    return placeholders(key)


def default_note(parameter: str) -> str:
    """Why the plan package sets a setting's default (defaults.csv note), in the current language; "" if none."""
    row = state.load_data().default(parameter)
    if not row:
        return ""
    return str(row.get(f"note_{lang()}") or row.get("note_zh") or "")


def _current(f: Field, key=None):
    v = getattr(state.scenario(), f.name)
    return v if key is None else v.get(key, f.item_default)


def _to_fields(f: Field, key=None, *, rate: bool, cast=float):
    def convert(v):
        if v is None:
            return {}
        value = pct_to_rate(round(float(v), 6)) if rate else cast(v)
        if key is None:
            return {f.name: value}
        m = dict(getattr(state.scenario(), f.name))
        m[key] = value
        return {f.name: FrozenMap(m)}
    return convert


def slider(name: str, *, key: str | None = None, map_key=None, label_kw: dict | None = None,
           widget_key: str | None = None, integer: bool = False, **kw) -> Any:
    """A slider bound to field ``name`` (rates shown in %)."""
    f = field_of(name)
    value = _current(f, map_key)
    rate = _is_rate(f)
    lo, hi = widget_range(f, value)
    scale = 100.0 if rate else 1.0
    step = f.step if f.step is not None else (1 if integer else (hi - lo) / 100)
    if integer:
        shown, lo_s, hi_s, step_s = int(value), int(lo), int(hi), max(int(step), 1)
    else:
        shown = round(float(value) * scale, 6)
        lo_s, hi_s, step_s = round(lo * scale, 6), round(hi * scale, 6), round(step * scale, 6)
    fmt = kw.pop("format", "%.1f%%" if rate else None)
    text = label(f, map_key, **(label_kw or {}))
    if fmt and fmt.endswith("%%"):  # the slider's value says "7.5%": the label need not
        text = without_pct_unit(text)
    return state.bound(st.slider, text, widget_key or key or f"w_{name}_{map_key or ''}",
                       shown, _to_fields(f, map_key, rate=rate, cast=int if integer else float),
                       min_value=lo_s, max_value=hi_s, step=step_s, help=kw.pop("help", help_text(f)),
                       **({"format": fmt} if fmt else {}), **kw)


def number(name: str, *, map_key=None, label_kw: dict | None = None, widget_key: str | None = None,
           integer: bool = False, **kw) -> Any:
    """A number input bound to field ``name`` over the field's whole allowed range."""
    f = field_of(name)
    value = _current(f, map_key)
    rate = _is_rate(f)
    scale = 100.0 if rate else 1.0
    lo, hi = f.lo, f.hi
    if integer:
        args = dict(min_value=int(lo), max_value=int(hi), step=int(f.step or 1), format="%d")
        shown = int(value)
    else:
        args = dict(min_value=float(lo * scale), max_value=float(hi * scale),
                    step=float((f.step or 1.0) * scale))
        shown = float(value) * scale
    args.update(kw)
    args.setdefault("help", help_text(f))
    return state.bound(st.number_input, label(f, map_key, **(label_kw or {})), widget_key or f"n_{name}_{map_key or ''}",
                       shown, _to_fields(f, map_key, rate=rate, cast=int if integer else float), **args)


def toggle(name: str, *, widget_key: str | None = None, **kw) -> Any:
    f = field_of(name)
    return state.bound(st.toggle, label(f), widget_key or f"t_{name}", bool(_current(f)),
                       lambda v: {f.name: bool(v)}, help=kw.pop("help", help_text(f)), **kw)


def choice(name: str, format_func, *, widget: Any = None, widget_key: str | None = None, **kw) -> Any:
    """A radio (or ``widget``) over an enum field's options."""
    f = field_of(name)
    return state.bound(widget or st.radio, label(f), widget_key or f"c_{name}", _current(f), lambda v: {f.name: v},
                       options=list(f.kind.options()), format_func=fixed(format_func, f.kind.options()),
                       help=kw.pop("help", help_text(f)), **kw)
