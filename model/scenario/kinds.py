"""How each kind of scenario field is checked, written and read (assumptions CSV and URL).

A :class:`Kind` is a codec: the field table (:mod:`model.scenario.fields`) pairs every field with one, and the
Scenario's validation, the assumptions-CSV codec and the URL codec are generated from that pairing. Every number
goes through :mod:`model.scenario.numbers` (bounded, finite, bit-exact).

Messages name the assumptions-CSV parameter (``growth.SEGMENT: …``), so a problem can be traced to the file
row or the link parameter that caused it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable

from .. import numbers as num
from .frozen import FrozenMap

Row = tuple[str, str, str, str]  # parameter, value, unit, description


class CodecError(ValueError):
    """A text that does not decode; ``reason`` is malformed | unknown_key | out_of_range."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(detail or reason)


def _num_error(exc: num.NumberError) -> CodecError:
    err = CodecError("out_of_range" if exc.reason == "too large" else "malformed", str(exc))
    err.number = True
    return err


def _pct(v) -> str:
    return f"{v * 100:g}" if num.finite(v) else repr(v)


def resolve(value, plan):
    """A kind's keys, codes or options: given as they are, or as a function of the plan (bound per plan)."""
    return value(plan) if callable(value) else value


class Kind:
    """A scalar field: one CSV row, one URL parameter."""

    unit = ""

    def bind(self, plan) -> Kind:
        """This kind for one plan (keys, codes and options resolved); scalars are the same for every plan."""
        return self

    # -- value ---------------------------------------------------------------------------------------
    def coerce(self, value):
        return value

    def problems(self, f, value) -> list[str]:
        return []

    # -- text ----------------------------------------------------------------------------------------
    def text(self, f, value) -> str:
        raise NotImplementedError

    def parse(self, f, text: str):
        raise NotImplementedError

    def _parse(self, f, text: str):
        try:
            return self.parse(f, text)
        except num.NumberError as exc:
            raise _num_error(exc) from None

    # -- assumptions CSV -----------------------------------------------------------------------------
    def csv_rows(self, f, value, ctx=None) -> list[Row]:
        return [(f.csv, self.text(f, value), f.unit, f.describe())]

    def csv_key(self, f, param: str):
        """None when ``param`` is not this field's; else the key its value goes under (scalars: '')."""
        return "" if param == f.csv else None

    def csv_value(self, f, key, text: str):
        return self._parse(f, text)

    def csv_build(self, f, pieces: dict, default):
        return pieces.get("", default)

    # -- URL -----------------------------------------------------------------------------------------
    def url_codes(self, f) -> tuple[str, ...]:
        return (f.url,) if f.url else ()

    def url_encode(self, f, value, base) -> dict[str, str]:
        return {} if value == base else {f.url: self.text(f, value)}

    def url_decode(self, f, code: str, text: str, current):
        return self._parse(f, text)


class Text(Kind):
    def coerce(self, value):
        return value

    def problems(self, f, value):
        if not isinstance(value, str) or not value.strip():
            return [f"{f.csv}: empty"]
        if len(value) > f.hi:
            return [f"{f.csv}: longer than {f.hi:g} characters"]
        return []

    def text(self, f, value):
        return value

    def parse(self, f, text):
        return text.strip() if f.strip else text


def _q(value):
    """Numbers are held as floats of 15 significant digits (numbers.sig15); anything else is left for validation."""
    return num.sig15(float(value)) if num.finite(value) else value


class Number(Kind):
    """A real number in [lo, hi] (money in 亿元, a ratio, a correlation)."""

    def __init__(self, positive: bool = False):
        self.positive = positive

    def coerce(self, value):
        return _q(value)

    def problems(self, f, value):
        if not num.finite(value) or (self.positive and value <= 0) or not f.lo <= value <= f.hi:
            unit = (' ' + f.unit) if f.unit else ''
            span = (f"above 0 and at most {f.hi:g}{unit}" if self.positive and f.lo <= 0 else
                    f"{'a positive number' if self.positive else 'a number'} {f.lo:g}–{f.hi:g}{unit}")
            return [f"{f.csv}: must be {span}, got {value!r}"]
        return []

    def text(self, f, value):
        return num.decimal_text(value)

    def parse(self, f, text):
        return num.number(text)


class Rate(Kind):
    """A rate held as a decimal, written and shown in percent."""

    def coerce(self, value):
        return _q(value)

    def problems(self, f, value):
        if not num.finite(value) or not f.lo <= value <= f.hi:
            return [f"{f.csv}: {_pct(value)} % outside {f.lo * 100:g}–{f.hi * 100:g} %"]
        return []

    def text(self, f, value):
        return num.rate_text(value)

    def parse(self, f, text):
        return num.percent(text)


class Int(Kind):
    def problems(self, f, value):
        if not isinstance(value, int) or isinstance(value, bool) or not f.lo <= value <= f.hi:
            return [f"{f.csv}: {value!r} not a whole number {f.lo:g}–{f.hi:g}"]
        return []

    def text(self, f, value):
        return str(value)

    def parse(self, f, text):
        return num.integer(text)


class Bool(Kind):
    def problems(self, f, value):
        return [] if isinstance(value, bool) else [f"{f.csv}: must be 0 or 1"]

    def text(self, f, value):
        return "1" if value else "0"

    def parse(self, f, text):
        t = text.strip()
        if t not in ("0", "1"):
            raise CodecError("malformed", f"{f.csv} must be 0 or 1, got {t[:20]!r}")
        return t == "1"


class Enum(Kind):
    def __init__(self, options: Callable[[], tuple[str, ...]] | tuple[str, ...]):
        self._options = options

    def bind(self, plan):
        return Enum(tuple(resolve(self._options, plan)))

    def options(self) -> tuple[str, ...]:
        if callable(self._options):
            raise TypeError("an unbound Enum: bind it to a plan first")
        return self._options

    def problems(self, f, value):
        if value not in self.options():
            return [f"{f.csv}: {value!r} not one of {', '.join(self.options())}"]
        return []

    def text(self, f, value):
        return value

    def parse(self, f, text):
        return text.strip()


class OptionalNumber(Number):
    """A number or nothing (written as an empty cell)."""

    def problems(self, f, value):
        return [] if value is None else (
            [f"{f.csv}: {value!r} must be empty or at least {f.lo:g}{f.unit}"]
            if not num.finite(value) or not f.lo <= value <= f.hi else [])

    def text(self, f, value):
        return "" if value is None else num.decimal_text(value)

    def parse(self, f, text):
        return None if text.strip() == "" else num.number(text)


class OptionalRef(Kind):
    """A reference to a stored document (a library short ID: 4–64 hex digits), or nothing."""

    def coerce(self, value):
        return value.strip().lower() if isinstance(value, str) and value.strip() else (None if value in ("", None)
                                                                                        else value)

    def problems(self, f, value):
        if value is None:
            return []
        if not isinstance(value, str) or not 4 <= len(value) <= 64 or any(c not in "0123456789abcdef" for c in value):
            return [f"{f.csv}: {str(value)[:20]!r} is not a library ID (4–64 hexadecimal digits)"]
        return []

    def text(self, f, value):
        return value or ""

    def parse(self, f, text):
        t = text.strip().lower()
        return t or None


class PlanId(Kind):
    """The id of a plan package (plan.csv ``id``), or nothing: the plan that files without a plan row belong to."""

    def coerce(self, value):
        return value.strip() if isinstance(value, str) and value.strip() else (None if value in ("", None) else value)

    def problems(self, f, value):
        if value is None:
            return []
        if not isinstance(value, str) or len(value) > 64 or not value.isascii() or \
                not all(c.isalnum() or c in "-_." for c in value):
            return [f"{f.csv}: {str(value)[:20]!r} is not a plan id"]
        return []

    def text(self, f, value):
        return value or ""

    def parse(self, f, text):
        return text.strip() or None


class IdSet(Kind):
    """A set of ids (project ids): ``;``-separated in the CSV, ``,`` in a link; checked against the data."""

    MAX = 10_000

    def coerce(self, value):
        return frozenset(value or ())

    def problems(self, f, value):
        if len(value) > self.MAX or not all(isinstance(i, str) and 0 < len(i) <= 40 for i in value):
            return [f"{f.csv}: not a list of ids"]
        return []

    def text(self, f, value):
        return ";".join(sorted(value))

    def parse(self, f, text):
        return frozenset(x.strip() for x in text.replace(",", ";").split(";") if x.strip())

    def url_encode(self, f, value, base):
        return {f.url: ",".join(sorted(value))} if value != base else {}


# -- maps --------------------------------------------------------------------------------------------

class MapKind(Kind):
    """A mapping field; its CSV rows read ``PREFIX.KEY`` (prefix = the field's ``csv``)."""

    def __init__(self, item: Kind, keys: Callable | tuple | None = None, codes: Mapping | Callable | None = None):
        self.item = item
        self._keys = keys  # the keys (or a function of the plan giving them)
        self._codes = codes  # URL code -> key (or a function of the plan giving that mapping)

    def bind(self, plan):
        import copy

        bound = copy.copy(self)
        bound._keys = tuple(resolve(self._keys, plan) or ())
        bound._codes = dict(resolve(self._codes, plan) or {})
        return bound

    def keys(self) -> tuple:
        if callable(self._keys):
            raise TypeError("an unbound map kind: bind it to a plan first")
        return self._keys or ()

    def codes(self) -> dict:
        if callable(self._codes):
            raise TypeError("an unbound map kind: bind it to a plan first")
        return dict(self._codes or {})

    def coerce(self, value):
        m = value if isinstance(value, Mapping) else dict(value or {})
        return FrozenMap({k: self.item.coerce(v) for k, v in m.items()})

    def key_text(self, key) -> str:
        return str(key)

    def parse_key(self, f, text: str):
        if self.keys() and text not in self.keys():
            raise CodecError("unknown_key", f"{f.csv}.{text}")
        return text

    def item_problems(self, f, key, v) -> list[str]:
        sub = f.sub(self.key_text(key))
        return self.item.problems(sub, v)

    def problems(self, f, value):
        p = []
        if not value and not f.complete:
            return p
        keys = self.keys()
        if keys and f.complete and set(value) != set(keys):
            p.append(f"{f.csv}: need exactly {', '.join(map(str, keys))}")
        for k, v in value.items():
            try:
                key_ok = keys == () or k in keys
            except TypeError:
                key_ok = False
            if not key_ok:
                p.append(f"{f.csv}.{k}: unknown key")
            else:
                p += self.item_problems(f, k, v)
        return p

    def csv_rows(self, f, value, ctx=None):
        keys = self.keys() if f.complete or f.all_keys_in_csv else sorted(value)
        rows = []
        for k in keys:
            if k not in value and not f.all_keys_in_csv:
                continue
            v = value.get(k, f.item_default)
            if f.skip_in_csv is not None and v == f.skip_in_csv and not f.all_keys_in_csv:
                continue
            kt = self.key_text(k)
            rows.append((f"{f.csv}.{kt}", self.item.text(f.sub(kt), v), f.unit, f.describe(key=kt)))
        return rows

    def csv_key(self, f, param):
        prefix = f.csv + "."
        if not param.startswith(prefix):
            return None
        return self.parse_key(f, param[len(prefix):])

    def csv_value(self, f, key, text):
        try:
            return self.item.parse(f.sub(self.key_text(key)), text)
        except num.NumberError as exc:
            raise _num_error(exc) from None

    def csv_build(self, f, pieces, default):
        if not pieces:
            return default
        if f.fill_from is not None:  # e.g. share segments not given follow their parent's rate
            base = dict(pieces)
            for k in self.keys():
                if k not in base:
                    src = f.fill_from(k)
                    if src in base:
                        base[k] = base[src]
            return FrozenMap(base)
        if f.complete:  # keys not given keep their default
            return FrozenMap({**dict(default), **pieces})
        return FrozenMap(pieces)

    # URL: one parameter ``code=k1:v1,k2:v2`` holding the keys that differ from the base
    def url_encode(self, f, value, base):
        if value == base:
            return {}
        back = {v: k for k, v in self.codes().items()}
        if f.url_all_items:
            items = sorted(value.items(), key=lambda kv: (back.get(kv[0], str(kv[0]))))
        else:
            items = [(k, v) for k, v in value.items() if base.get(k) != v]
            order = {k: i for i, k in enumerate(self.codes().values())} if back else {}
            items.sort(key=lambda kv: order.get(kv[0], 0) if order else str(kv[0]))
        if not items:
            return {}
        return {f.url: ",".join(f"{back.get(k, self.key_text(k))}:{self.item.text(f.sub(''), v)}" for k, v in items)}

    def url_decode(self, f, code, text, current):
        codes = self.codes()
        out = {} if f.url_all_items else dict(current)
        for item in text.split(","):
            if not item.strip():
                continue
            k, sep, v = item.partition(":")
            if not sep or ":" in v:
                raise CodecError("malformed", item[:40])
            k = k.strip()
            if codes:
                if k not in codes:
                    raise CodecError("unknown_key", k[:40])
                k = codes[k]
            else:
                k = self.parse_key(f, k)
            try:
                out[k] = self.item.parse(f.sub(str(k)), v)
            except num.NumberError as exc:
                raise _num_error(exc) from None
        return FrozenMap(out)


class PerKeyParams(MapKind):
    """A map whose every key has its own URL parameter (growth: ``CODE=7.5`` per segment)."""

    def url_codes(self, f):
        return tuple(self.codes())

    def url_encode(self, f, value, base):
        out = {}
        for code, k in self.codes().items():
            if code in f.url_always or value.get(k) != base.get(k):
                out[code] = self.item.text(f.sub(k), value[k])
        return out

    def url_decode(self, f, code, text, current):
        out = dict(current)
        try:
            out[self.codes()[code]] = self.item.parse(f.sub(code), text)
        except num.NumberError as exc:
            raise _num_error(exc) from None
        return FrozenMap(out)


class Positional(MapKind):
    """A complete map written in a link as its values in key order (shares: ``sh=40,30,20,10``)."""

    def url_encode(self, f, value, base):
        return {} if value == base else {f.url: ",".join(self.item.text(f.sub(k), value[k]) for k in self.keys())}

    def url_decode(self, f, code, text, current):
        parts = text.split(",")
        if len(parts) != len(self.keys()):
            raise CodecError("malformed", f"need {len(self.keys())} values")
        try:
            return FrozenMap(zip(self.keys(), (self.item.parse(f.sub(k), p) for k, p in zip(self.keys(), parts))))
        except num.NumberError as exc:
            raise _num_error(exc) from None


class YearMap(MapKind):
    """A map keyed by (segment, year): CSV ``PREFIX.SEGMENT.YEAR``, link ``code=SEG:YEAR:VALUE,…``."""

    def __init__(self, item: Kind, segments: Mapping | Callable):
        super().__init__(item)
        self.segments = segments  # URL code -> segment key (or a function of the plan giving it)

    def bind(self, plan):
        import copy

        bound = copy.copy(self)
        bound.segments = dict(resolve(self.segments, plan))
        bound._keys, bound._codes = (), {}
        return bound

    def key_text(self, key):
        return f"{key[0]}.{key[1]}"

    def parse_key(self, f, text):
        seg, dot, year = text.partition(".")
        if not dot or seg not in self.segments.values():
            raise CodecError("unknown_key", f"{f.csv} must read {f.csv}.SEGMENT.YEAR, got {f.csv}.{text[:40]}")
        try:
            return (seg, num.integer(year))
        except num.NumberError:
            raise CodecError("unknown_key", f"{f.csv}.{text[:40]}: year is not a whole number") from None

    def problems(self, f, value):
        p = []
        for key, v in value.items():
            if not (isinstance(key, tuple) and len(key) == 2 and key[0] in self.segments.values()
                    and isinstance(key[1], int) and not isinstance(key[1], bool) and 1000 <= key[1] <= 9999):
                p.append(f"{f.csv}.{key}: unknown segment or not a year")
            else:
                p += self.item.problems(f.sub(self.key_text(key)), v)
        return p

    def csv_rows(self, f, value, ctx=None):
        return [(f"{f.csv}.{seg}.{year}", self.item.text(f.sub(f"{seg}.{year}"), v), f.unit,
                 f.describe(seg=seg, year=year)) for (seg, year), v in sorted(value.items())]

    def url_encode(self, f, value, base):
        if not value:
            return {}
        back = {v: k for k, v in self.segments.items()}
        return {f.url: ",".join(f"{back[seg]}:{year}:{self.item.text(f.sub(''), v)}"
                                for (seg, year), v in sorted(value.items()))}

    def url_decode(self, f, code, text, current):
        out = {}
        for item in text.split(","):
            parts = item.split(":")
            if len(parts) != 3 or parts[0].strip() not in self.segments:
                raise CodecError("malformed", item[:40])
            try:
                out[(self.segments[parts[0].strip()], num.integer(parts[1]))] = self.item.parse(f.sub(""), parts[2])
            except num.NumberError as exc:
                raise _num_error(exc) from None
        return FrozenMap(out)


class SegParams(MapKind):
    """A number per segment with a parameter of its own in both codecs: in the assumptions CSV the field's ``csv``
    as a template (``baseline_{year}_{key}``: the scenario's base year and the segment's key; a file may leave the
    year out, or give any year, which must then be the base year), in links one code per segment
    (``b``, ``br`` …, from the plan package). ``keys``: the segments; ``names``: segment -> key; ``codes``: link
    code -> segment."""

    def __init__(self, item: Kind, keys, names, codes):
        super().__init__(item, keys, codes)
        self._names = names

    def bind(self, plan):
        bound = super().bind(plan)
        bound._names = dict(resolve(self._names, plan))
        return bound

    def param(self, f, key, year=None) -> str:
        name = self._names.get(key, key)
        text = f.csv.replace("{key}", name)
        if "{year}" in text:
            text = text.replace("{year}", str(year)) if year is not None else text.replace("_{year}", "")
        return text

    def key_text(self, key) -> str:
        return self._names.get(key, str(key))

    def csv_rows(self, f, value, ctx=None):
        year = (ctx or {}).get("base_year")
        keys = [k for k in self.keys() if k in value] if not f.complete else self.keys()
        return [(self.param(f, k, year), self.item.text(f.sub(self.key_text(k)), value[k]), f.unit,
                 f.describe(key=self.key_text(k))) for k in keys if k in value]

    def _pattern(self, f):
        import re

        alt = "|".join(re.escape(n) for n in sorted(self._names.values(), key=len, reverse=True)) or "(?!)"
        head, _, tail = f.csv.partition("{key}")
        head = re.escape(head).replace(re.escape("_{year}"), "(?:_(?P<year>[0-9]{4}))?").replace(
            re.escape("{year}"), "(?P<year>[0-9]{4})")
        return re.compile(f"^{head}(?P<key>{alt}){re.escape(tail)}$")

    def csv_key(self, f, param):
        m = self._pattern(f).match(param)
        if not m:
            return None
        back = {v: k for k, v in self._names.items()}
        return back[m.group("key")]

    def param_year(self, f, param) -> int | None:
        """The year a parameter's name gives (``baseline_YYYY_KEY`` → YYYY), or None."""
        m = self._pattern(f).match(param)
        return int(m.group("year")) if m and m.groupdict().get("year") else None

    def csv_value(self, f, key, text):
        try:
            return self.item.parse(f.sub(self.key_text(key)), text)
        except num.NumberError as exc:
            raise _num_error(exc) from None

    def csv_build(self, f, pieces, default):
        pieces = {k: v for k, v in pieces.items() if v is not None}
        return FrozenMap({**dict(default), **pieces}) if f.complete else FrozenMap(pieces)

    def item_problems(self, f, key, v):
        return self.item.problems(f.sub(self.key_text(key)), v)

    def url_codes(self, f):
        return tuple(self.codes())

    def url_encode(self, f, value, base):
        out = {}
        for code, k in self.codes().items():
            if value.get(k) != base.get(k):
                out[code] = "" if value.get(k) is None else self.item.text(f.sub(self.key_text(k)), value[k])
        return out

    def url_decode(self, f, code, text, current):
        out = dict(current)
        k = self.codes()[code]
        try:
            v = self.item.parse(f.sub(self.key_text(k)), text)
        except num.NumberError as exc:
            raise _num_error(exc) from None
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
        return FrozenMap(out)


Any_ = Any
