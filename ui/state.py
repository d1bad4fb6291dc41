"""The one Scenario shared by every page: session state, URL, undo, and widgets bound to it.

The durable value is ``st.session_state["scenario"]`` (a frozen model.Scenario); widgets write to it through
``on_change`` callbacks. State is written in one place at a time: a widget's own state is written by the script
only when the scenario changed from elsewhere (undo, a preset, a link, a file, a button, another page), never on
the run its own change caused. Every write makes Streamlit send the value to the browser, where it replaces what
the user did since the request left (a burst of key presses on a slider lost or snapped back; a stale scenario-name
box sent back as a rename).

The scenario's name is a function of its values and of what the user typed: a preset's slug only while every value
equals that preset's, else the user's own name, else ``custom``; display names (规划目标情景, Custom scenario …)
are read back as their slugs. So the same numbers always carry the same name, ID and link.
"""
from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
import time
from typing import Any, Callable

import streamlit as st

from . import lists as held_lists
from .lru import Lru

from model import PlanData, Scenario, ScenarioError, run
from model.calc.analysis import Fan, simulate
from model.calc.growth import Targets
from model.calc.phasing import phasing_key
from model.calc.results import PROJECTION_IGNORES
from model.io.assumptions import MAX_ASSUMPTIONS_BYTES, from_assumptions_csv
from model.io.export import Results, all_files
from model.io.library import ENV_DB, Library
from model.io.url import PLAN_KEY, UI_KEYS, Notice, decode, encode
from model.plan import registry
from model.plan.tables import DataError, read_csv_rows
from model.report.labels import preset_name as display_name
from model.report.text import LANGS
from model.scenario import FIELDS, clean_name
from model.scenario.presets import CUSTOM, honest_name, presets

log = logging.getLogger("shifeng.ui")
MIN_REF = 4  # the shortest list reference a link may give (a library short ID prefix)

SCENARIO, HISTORY, NOTICES, FLASH, SAVED = "scenario", "history", "url_notices", "flash", "saved"
PLAN_ID = "plan_id"  # the plan the session opened with (the scenario carries its plan from then on)
BASE_PRESET = "plan-targets"  # links are written as differences from the plan's base preset (this one, if it has it)
CUSTOM_NAME = CUSTOM
MAX_HISTORY = 50
MAX_UPLOAD_BYTES = MAX_ASSUMPTIONS_BYTES
OFFER_TTL = 5.0  # seconds: the deployment's packages are looked for again at most this often


# -- the plans the deployment offers ---------------------------------------------------------------------
# A session's plan is the plan its scenario carries (undo, a preset, a link, a file, the plan selector: each sets a
# scenario, and with it the plan). Nothing here is a process-wide "current plan".

_OFFER_LOCK = threading.Lock()
_OFFER: dict = {"at": -1e9, "env": None, "plans": None}


def _env() -> tuple:
    return tuple(os.environ.get(k, "") for k in ("SHIFENG_PLAN", "SHIFENG_DATA", "SHIFENG_PLANS"))


def offered() -> list[PlanData]:
    """The plans the deployment offers (``model.plan.registry.available``: the packages under data/plans/ and
    $SHIFENG_PLANS, and the default), looked for again at most every few seconds; a package that does not load is
    left out."""
    now, env = time.monotonic(), _env()
    with _OFFER_LOCK:
        if _OFFER["plans"] is not None and _OFFER["env"] == env and now - _OFFER["at"] < OFFER_TTL:
            return _OFFER["plans"]
    from model.calc.plancheck import offered as checked

    plans = checked()[0]
    with _OFFER_LOCK:
        _OFFER.update(at=now, env=env, plans=plans)
    return plans


def plan_by_id(plan_id: str | None) -> PlanData | None:
    """The offered plan with ``plan_id``, or None."""
    return next((p for p in offered() if p.id == plan_id), None) if plan_id else None


def deployment_default() -> PlanData:
    """The deployment's default plan ($SHIFENG_PLAN, $SHIFENG_DATA, else the package marked default under
    data/plans/): what a link without scenario parameters opens. Raises ``DataError``."""
    return registry.default_plan()


def unnamed_plan() -> PlanData:
    """The plan of links and files that name none: the package flagged default in its plan.csv, when offered
    (model.io.url writes ``plan=`` for every other plan), else the deployment's default."""
    return next((p for p in offered() if p.is_default), None) or deployment_default()


def plan_label(data: PlanData, lang: str) -> str:
    """A plan's short name in ``lang`` (its name, else its id)."""
    return data.name(lang, "short_name") or data.name(lang) or data.id


def scenario_key(s: Scenario) -> tuple:
    """A scenario as a cache key: every setting (its repr) and the plan package it runs on (id and contents)."""
    return repr(s), s.plan_data.id, s.plan_data.fingerprint


def scenario_key_without(s: Scenario, fields: frozenset[str]) -> tuple:
    """:func:`scenario_key` but ``fields``: what a split page's rest shows of the scenario when its moving part
    alone shows those fields (ui.layout.moving)."""
    return (tuple((f.name, repr(getattr(s, f.name))) for f in FIELDS if f.name not in fields),
            s.plan_data.id, s.plan_data.fingerprint)


# -- cached model calls ----------------------------------------------------------------------------
# Shared by every session, never copied: these values are immutable (frozen dataclasses whose frames nobody
# mutates). The ones asked for on every slider move (presets, results, the Monte Carlo) are kept in plain bounded
# maps (ui/lru.py: Streamlit's cache_resource costs a signature read and argument hashing per call); the rest use
# cache_resource. A Scenario is keyed by its repr, which spells out every field exactly (the generic hasher walks it
# slowly), and by its plan's id and fingerprint.

def load_data() -> PlanData:
    """The session's plan: the one its scenario is for (before the scenario exists, the one chosen for the
    session, else the deployment's default)."""
    ss = st.session_state
    s = ss.get(SCENARIO)
    if s is not None:
        return s.plan_data
    chosen = plan_by_id(ss.get(PLAN_ID))
    return chosen if chosen is not None else deployment_default()


_PRESETS = Lru(32)  # (plan id, fingerprint) -> the plan's presets by slug


def preset_table(data: PlanData | None = None) -> dict[str, Scenario]:
    """The presets of ``data`` (default: the session's plan), by slug."""
    data = load_data() if data is None else data
    return _PRESETS.get((data.id, data.fingerprint), lambda: presets(data))


def base_slug(data: PlanData | None = None) -> str:
    """The plan's base preset: ``plan-targets`` where the plan has it, else its first preset."""
    table = preset_table(data)
    return BASE_PRESET if BASE_PRESET in table else next(iter(table))


def base(data: PlanData | None = None) -> Scenario:
    return preset_table(data)[base_slug(data)]


_RESULTS = Lru(512)  # (scenario_key, the lists it runs on) -> Results
_FANS = Lru(64)  # scenario_key -> its Monte Carlo


_PHASED = Lru(512)  # (kind, what phasing reads, the lists it runs on) -> Phasing: a growth move phases nothing


_PROJECTED = Lru(512)  # (the scenario without what only phasing reads, the lists) -> Projection: a phasing move
# projects nothing


def _run(s: Scenario, lists: tuple = ()) -> Results:
    def phased(kind: str, build):
        return _PHASED.get((kind, phasing_key(s), lists), build)

    def projected(build):
        return _PROJECTED.get((scenario_key_without(s, PROJECTION_IGNORES), lists), build)

    if not lists:
        return run(s.plan_data, s, phased, projected)
    return run(held_lists.data_with(lists, s.plan_data, open_library), s, phased, projected)


def results(s: Scenario) -> Results:
    """The scenario's results, cached by scenario. A scenario naming a next plan's project or road list (``pj=``,
    ``rd=``) runs on that list where it can be opened (ui/documents.py), else on the annexes."""
    lists = ()
    if s.projects_ref is not None or s.roads_ref is not None:
        lists = held_lists.keys_for(s, s.plan_data, open_library)
    return _RESULTS.get((scenario_key(s), lists), lambda: _run(s, lists))


def data_for(s: Scenario) -> PlanData:
    """The data scenario ``s`` runs on: its plan's, or with the next plan's lists it names (pj=, rd=)."""
    return held_lists.data_for(s, open_library)


def fan(s: Scenario) -> Fan:
    """The scenario's Monte Carlo (analysis page, story): computed once per scenario and seed."""
    return _FANS.get(scenario_key(s), lambda: simulate(s, results(s).projection.targets))


def story_steps(s: Scenario, lang: str, aset=None) -> list:
    """The story of ``s``; a rebased scenario's base is described from the session's actuals set ``aset``."""
    measure, achieved = "", None
    if s.base_year != s.plan_data.calendar.base_year:
        try:
            from model.calc.nextplan import achieved_growth, base_actuals

            if aset is not None:
                base_ = base_actuals(aset, s.plan_data, s.base_year)
                measure = base_.measure
                achieved = tuple(sorted(achieved_growth(base_, s.plan_data).items())) or None
        except (ScenarioError, DataError, KeyError, AttributeError, TypeError):  # no rebase figures: a plain story
            log.info("story of a rebased scenario without its base figures", exc_info=True)
            measure, achieved = "", None
    return _story(s, lang, measure, achieved)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs={Scenario: scenario_key})
def _story(s: Scenario, lang: str, measure: str, achieved: tuple | None) -> list:
    from model.report.story import story

    return story(data_for(s), results(s), lang, fan(s), base_measure=measure,
                 achieved=dict(achieved) if achieved else None)


_EXPORTS: dict[tuple, dict[str, bytes]] = {}
_EXPORTS_LOCK = threading.Lock()


def lazy_file(data: PlanData, r: Results, name: str) -> Callable[[], bytes]:
    """A download callable: Streamlit runs it on click, in another thread, so it captures what it needs now."""
    s = r.scenario
    key = (s, data.id, data.fingerprint, data.source_projects, data.source_roads)

    def make() -> bytes:
        with _EXPORTS_LOCK:
            files = _EXPORTS.get(key)
            if files is None:
                if len(_EXPORTS) > 32:
                    _EXPORTS.clear()
                files = _EXPORTS[key] = all_files(data, r)
        return files[name]

    return make


# -- what a whole scenario must hold (links, files, changes) -----------------------------------------

def targets_missing(s: Scenario) -> list[str]:
    """Segments that need a target in ``s``'s target year and have none (a target year the plan names no targets
    for)."""
    return Targets.missing(s, s.plan_data)


def whole_problems(data: PlanData, check_ids: bool = True) -> Callable[[Scenario], list[str]]:
    """The problems of a whole scenario of ``data``, in the session's language: a target year without its targets
    (the plan's targets are for its own target year), project ids the project list does not have."""
    def problems(s: Scenario) -> list[str]:
        out = []
        missing = targets_missing(s)
        if missing:
            lang = _lang

            names = [data.seg_name(x, lang()) for x in missing]
            from model.report.labels import name_list, tx

            out.append(tx("up.targets_missing", lang(), None, year=s.target_year,
                          plan_year=data.calendar.target_year, segs=name_list(names, lang())))
        if check_ids:
            out += s.check_against(data)
        return out

    return problems


# -- session ---------------------------------------------------------------------------------------

def init_lang() -> None:
    """First run of a session: the language (and presentation mode) from the URL; an unknown one is a notice."""
    ss = st.session_state
    if "present" not in ss:
        ss["present"] = st.query_params.get("present", "0") == "1"
    if "lang" not in ss:
        lang = st.query_params.get("lang", "zh")
        ss["lang"] = lang if lang in LANGS else "zh"
        if lang not in LANGS:
            ss.setdefault(NOTICES, []).append(Notice("lang", "out_of_range", str(lang)[:20]))


def _scenario_params(params: dict) -> list[str]:
    return [k for k in params if k not in UI_KEYS and k != PLAN_KEY]


def choose_plan(params: dict) -> tuple[PlanData, bool]:
    """The plan a session opens with, from its link: ``plan=`` among the plans offered; without it, the package
    links without a plan belong to when the link sets anything, else the deployment's default. Returns the plan
    and whether the link's scenario parameters apply to it (not when they are for a plan not offered here)."""
    asked = str(params.get(PLAN_KEY, "") or "").strip()
    if asked:
        found = plan_by_id(asked)
        if found is not None:
            return found, True
        fallback = deployment_default()
        flash("warning", "up.plan_unknown", plan=asked[:64], name=plan_label(fallback, _lang()))
        return fallback, False
    return (unnamed_plan() if _scenario_params(params) else deployment_default()), True


def _lang() -> str:
    v = st.session_state.get("lang", "zh")
    return v if v in LANGS else "zh"


def init() -> None:
    """First run of a session: the plan and the scenario from the URL (bad parameters become notices; a link for
    a plan this deployment does not offer opens the default plan, and says so)."""
    ss = st.session_state
    if SCENARIO not in ss:
        raw = {k: st.query_params.get_all(k) for k in st.query_params}
        # a parameter given twice with different values: the last is taken, and said (x=P01&x=P02 excluded P02 only)
        repeated = [Notice(k, "repeated", " / ".join(dict.fromkeys(v))[:60]) for k, v in raw.items()
                    if len(set(v)) > 1]
        params = {k: v[-1] for k, v in raw.items() if v}
        data, applies = choose_plan(params)
        ss[PLAN_ID] = data.id
        if not applies:
            params = {k: v for k, v in params.items() if k in UI_KEYS}
        # a link naming a next plan's list (pj=, rd=): the list opened now (held in this process, else from the
        # library), named by its full short ID (a shorter prefix was another scenario ID for the same list); one
        # that cannot be opened is a notice and the link's ids are checked against the plan's own list (they were
        # not, and a run on the annexes raised on an excluded id they do not have)
        notices = list(repeated)
        found = {}
        for kind, param in (("projects", "pj"), ("roads", "rd")):
            ref = str(params.get(param) or "").strip()
            if not ref:
                continue
            pl = held_lists.held(kind, ref, data, open_library) if len(ref) >= MIN_REF else None
            if pl is None:
                notices.append(Notice(param, "not_found", ref[:20]))
                params.pop(param)
            else:
                params[param], found[kind] = pl.short_id, pl
        ids = found["projects"].ids() if "projects" in found else data.projects["project_id"]
        s, decoded = decode(params, base(data), project_ids=ids, whole=whole_problems(data, "projects" not in found))
        notices += decoded
        ss[SCENARIO] = canonical(s)  # a preset's name only for that preset's numbers; old display names read back
        ss[HISTORY] = []
        ss.setdefault(NOTICES, []).extend(notices)
        ss.setdefault(SAVED, {})


def scenario() -> Scenario:
    return st.session_state[SCENARIO]


def set_scenario(new: Scenario) -> bool:
    """Make ``new`` the session's scenario (and its plan the session's plan); refused, with a message, when the
    whole scenario does not hold (a target year without its targets)."""
    ss = st.session_state
    new = canonical(new)
    missing = whole_problems(new.plan_data, check_ids=False)(new)
    if missing:
        flash("error", "scenario_error", missing)
        return False
    if new != ss[SCENARIO] or new.plan_data is not ss[SCENARIO].plan_data:
        ss[HISTORY] = (ss[HISTORY] + [ss[SCENARIO]])[-MAX_HISTORY:]
        ss[SCENARIO] = new
    return True


def switch_plan(key: str) -> None:
    """on_change of the plan selector: the chosen plan's base preset becomes the scenario (undo goes back)."""
    ss = st.session_state
    data = plan_by_id(ss.get(key))
    if data is None or data.id == load_data().id:
        return
    if set_scenario(base(data)):
        ss[PLAN_ID] = data.id
        flash("info", "up.plan_switched", name=plan_label(data, _lang()),
              preset=display_name(base_slug(data), _lang(), data))


# -- the scenario's name: a function of its values and of what the user typed ------------------------------

_VALUE_FIELDS = tuple(f.name for f in FIELDS if f.name != "name")


def auto_names(data: PlanData | None = None) -> frozenset:
    """Names the app gives (the plan's preset slugs and ``custom``); any other name is the user's."""
    return frozenset(preset_table(data)) | {CUSTOM}


_SLUGS: dict[tuple, dict[str, str]] = {}
_SLUGS_LOCK = threading.Lock()


def _slugs(data: PlanData) -> dict[str, str]:
    """Display name (every language, as the name box shows it) → slug, for the plan's presets and ``custom``."""
    key = (data.id, data.fingerprint)
    table = _SLUGS.get(key)
    if table is None:
        names = auto_names(data)
        table = {clean_name(display_name(slug, lg, data)): slug for slug in names for lg in LANGS}
        table.update({slug: slug for slug in names})
        with _SLUGS_LOCK:
            if len(_SLUGS) > 32:
                _SLUGS.clear()
            _SLUGS[key] = table
    return table


def slug_of(name: str, data: PlanData | None = None) -> str:
    """A preset's or custom's display name in any language (规划目标情景, Plan targets, 自定义情景 …) → its slug (an
    old link or a name box read back); any other name unchanged."""
    return _slugs(load_data() if data is None else data).get(clean_name(name), name)


def same_values(a: Scenario, b: Scenario) -> bool:
    """Every setting equal, whatever the names."""
    return all(getattr(a, f) == getattr(b, f) for f in _VALUE_FIELDS)


def canonical(s: Scenario, table: dict[str, Scenario] | None = None) -> Scenario:
    """``s`` with the name its values give it: an automatic name (a preset's, ``custom``, or one of their display
    names) becomes the slug of the preset whose every value ``s`` has, else ``custom``; a user's own name stays
    (model.scenario.presets.honest_name: a preset's name never on other numbers)."""
    table = preset_table(s.plan_data) if table is None else table
    name = slug_of(s.name, s.plan_data)
    if name in auto_names(s.plan_data):
        name = next((slug for slug, p in table.items() if same_values(s, p)), CUSTOM)
    out = s if name == s.name else s.with_(name=name)
    return honest_name(out, table)


def change(**fields) -> bool:
    """Apply field changes to the scenario; an invalid change is refused with a message.

    The result is named by :func:`canonical`: a preset that is changed is no longer that preset and is named
    ``custom`` (unless the user named it), so no file, link or brief carries a preset's name for other numbers.
    """
    try:
        return set_scenario(scenario().with_(**fields))
    except ScenarioError as exc:
        flash("error", "scenario_error", exc.problems)
        return False


NAME_GEN = "name_box_gen"


def name_key(lang: str) -> str:
    """The scenario-name box's widget key: a new box whenever the name (or the language it is shown in, or the plan)
    changes from elsewhere, so the box never has its state written by the script, and an event from a box drawn for
    an earlier name (a stale value sent along with a slider's rerun) belongs to a widget that is no longer drawn."""
    s = scenario()
    digest = hashlib.sha1(f"{lang}\x00{s.name}\x00{s.plan_data.id}".encode("utf-8")).hexdigest()[:10]
    return f"scenario_name_{digest}_{st.session_state.get(NAME_GEN, 0)}"


def name_box(label: str, lang: str, container=None, **kw):
    """The scenario-name text box: shows the name in ``lang``; typing renames (:func:`rename`)."""
    s = scenario()
    key, shown = name_key(lang), display_name(s.name, lang, s.plan_data)
    return (container or st).text_input(label, value=shown, key=key, max_chars=200, on_change=rename,
                                        args=(key, s.name, shown), **kw)


def rename(key: str, drawn_for: str | None = None, shown: str | None = None) -> None:
    """on_change of the scenario-name box: a trimmed, non-empty name of at most 200 characters.

    ``drawn_for`` is the name the box was drawn for (``shown`` the text it showed): an event from a box drawn for
    another name is stale and dropped. A display name typed or sent back (规划目标情景) is read as its slug and named
    by :func:`canonical`; when that leaves the name as it was, a fresh box shows the name in effect."""
    ss = st.session_state
    current = scenario().name
    if drawn_for is not None and drawn_for != current:
        return
    name = clean_name(str(ss.get(key, "")))[:200]
    if name == shown or name == current:  # the name as shown: nothing changed
        return
    if not name:
        flash("warning", "name_empty")
    else:
        change(name=slug_of(name))
    if scenario().name == current:  # refused, or the same name in effect: the box shows it again
        ss[NAME_GEN] = ss.get(NAME_GEN, 0) + 1


def undo() -> None:
    ss = st.session_state
    if ss[HISTORY]:
        ss[SCENARIO] = ss[HISTORY].pop()
        ss[PLAN_ID] = ss[SCENARIO].plan_data.id
    else:
        flash("info", "nothing_to_undo")


def reset(preset_name: str) -> None:
    table = preset_table()
    if preset_name in table:
        set_scenario(table[preset_name])


def flash(kind: str, key: str, details: list[str] | None = None, **kw) -> None:
    st.session_state.setdefault(FLASH, []).append((kind, key, list(details or []), kw))


def pop_flash() -> list:
    return st.session_state.pop(FLASH, [])


def pop_notices() -> list[Notice]:
    return st.session_state.pop(NOTICES, [])


def presenting() -> bool:
    return bool(st.session_state.get("present", False))


def share_params() -> dict[str, str]:
    s = scenario()
    q = encode(s, base(s.plan_data))  # plan= for any plan but the package flagged default
    if st.session_state.get("lang") == "en":
        q["lang"] = "en"
    if presenting():
        q["present"] = "1"
    return q


def share_url() -> str:
    """The full link to this scenario on this page (for the QR code)."""
    from urllib.parse import urlencode

    try:
        here = (st.context.url or "").split("?", 1)[0]
    except Exception:  # noqa: BLE001 - outside a browser session (AppTest)
        here = ""
    return f"{here}?{urlencode(share_params())}"


URL_SENT = "_url_sent"  # the link this session last wrote into the browser


def url_to_write(client: dict, sent: dict | None, target: dict) -> bool:
    """Whether a run writes ``target`` into the browser's address bar.

    ``client`` is the link the run's request carried, which can be older than links already on their way: the browser
    sends the query string it holds when the user presses, and Streamlit delivers a run's link change after that. A
    run that compared with ``client`` alone could find it equal to its own link and stay silent while an earlier run's
    link, still on its way, arrives after it and stays in the address bar. So a run also writes when the last link
    this session wrote (``sent``) is another: the last link written is always the scenario of the last run."""
    return client != target or (sent is not None and sent != target)


def sync_url() -> None:
    target = share_params()
    if url_to_write(st.query_params.to_dict(), st.session_state.get(URL_SENT), target):
        st.query_params.from_dict(target)
        st.session_state[URL_SENT] = target


# -- scenario files (uploads, the library): each opens with the plan it names ---------------------------------

def named_plan(raw: bytes, label: str) -> str | None:
    """The plan an assumptions file names in its ``plan`` row (None: none, or not readable as such a file)."""
    try:
        header, rows = read_csv_rows(raw, label)
    except DataError:
        return None
    lower = [h.strip().lower() for h in header]
    if "parameter" not in lower or "value" not in lower:
        return None
    ip, iv = lower.index("parameter"), lower.index("value")
    for r in rows:
        if ip < len(r) and r[ip].strip() == "plan":
            return (r[iv] if iv < len(r) else "").strip() or None
    return None


def read_scenario_file(raw: bytes, label: str) -> Scenario:
    """A scenario from an assumptions file, for the plan it names (a file naming none: the package flagged
    default), checked whole against that plan. Raises ``ScenarioError`` naming ``label`` (a plan this deployment
    does not offer among the problems)."""
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ScenarioError([f"{label}:-:-: larger than {MAX_UPLOAD_BYTES // 1000} kB: not an assumptions file"])
    asked = named_plan(raw, label)
    if asked is None:
        data = unnamed_plan()
    else:
        data = plan_by_id(asked)
        if data is None:
            raise ScenarioError([f"{label}:-:value: the file is a scenario of the plan {asked[:64]!r}, which this "
                                 f"deployment does not offer"])
    s = canonical(from_assumptions_csv(raw, label, set(data.projects["project_id"]), plan=data))
    problems = whole_problems(data)(s)
    if problems:
        raise ScenarioError([f"{label}:-:value: {p}" for p in problems])
    return s


def open_scenario(s: Scenario, file: str) -> None:
    """Make a scenario read from a file the session's (saying so, and naming the plan when it is another one)."""
    other = s.plan_data.id != load_data().id
    if set_scenario(s):
        lg = _lang()
        flash("success", "upload_ok", name=display_name(s.name, lg, s.plan_data))
        if other:
            st.session_state[PLAN_ID] = s.plan_data.id
            flash("info", "up.plan_of_file", file=file, name=plan_label(s.plan_data, lg))


def load_upload(key: str) -> None:
    """on_change of the assumptions uploader: parse, then replace the scenario or explain why not."""
    f = st.session_state.get(key)
    if f is None:
        return
    name = getattr(f, "name", "assumptions.csv")
    try:
        if getattr(f, "size", 0) > MAX_UPLOAD_BYTES:
            raise ScenarioError([f"{name}:-:-: larger than {MAX_UPLOAD_BYTES // 1000} kB: not an assumptions file"])
        s = read_scenario_file(f.getvalue(), name)
    except ScenarioError as exc:
        flash("error", "upload_bad", exc.problems, file=name)
        return
    except Exception:  # noqa: BLE001 - a bad upload must never break the page
        log.exception("upload failed")
        flash("error", "upload_bad", ["unreadable file"], file=name)
        return
    open_scenario(s, name)


# -- scenario library ------------------------------------------------------------------------------

def _secret(key: str):
    try:
        return st.secrets.get(key)
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        return None


def library_path() -> str | None:
    """From $SHIFENG_LIBRARY_DB, else .streamlit/secrets.toml `library_db`, else the default under the app."""
    return os.environ.get(ENV_DB) or _secret("library_db") or None


def read_only() -> bool:
    """A presentation deployment: $SHIFENG_READ_ONLY=1 or secrets `read_only = true` hides save/rename/delete."""
    env = os.environ.get("SHIFENG_READ_ONLY", "")
    return env.strip().lower() in ("1", "true", "yes") or bool(_secret("read_only"))


EDITOR_TOKEN = "editor_session"


def open_library() -> Library:
    """A fresh connection per use (SQLite connections stay on the thread that made them), acting as this session's
    signed-in editor, if any: the library itself checks every change against the session (model/io/auth.py)."""
    lib = Library(library_path())
    token = st.session_state.get(EDITOR_TOKEN)
    if token:
        try:
            lib.resume(token)
        except Exception:  # noqa: BLE001 - an ended session just means: a viewer again
            st.session_state.pop(EDITOR_TOKEN, None)
    return lib


def sign_in(name_key: str, password_key: str) -> None:
    """on_click of the editor sign-in form: a session token on success, a message (never the reason) on failure."""
    from model.io.auth import AuthError, LockedOut

    ss = st.session_state
    name, password = str(ss.get(name_key, "")), str(ss.get(password_key, ""))
    ss[password_key] = ""
    try:
        with open_library() as lib:
            actor = lib.sign_in(name, password)
        ss[EDITOR_TOKEN] = actor.token
        ss["editor_name"] = actor.name
        flash("success", "signed_in", name=actor.name)
    except LockedOut:
        flash("error", "sign_in_locked")
    except AuthError:
        flash("error", "sign_in_failed")
    except Exception:  # noqa: BLE001 - the library unavailable: the app keeps working
        log.exception("sign-in failed")
        flash("error", "sign_in_failed")


def oidc_configured() -> bool:
    """Streamlit's own sign-in (st.login, OIDC) is configured in secrets ([auth] with a client id)."""
    conf = _secret("auth")
    try:
        return bool(conf) and (bool(conf.get("client_id")) or any(
            isinstance(v, dict) and v.get("client_id") for v in conf.values()))
    except AttributeError:
        return False


def oidc_session() -> None:
    """After st.login: an editor session for the signed-in identity when secrets list it under [oidc] editors."""
    ss = st.session_state
    if ss.get(EDITOR_TOKEN) or not oidc_configured():
        return
    try:
        user = st.user
        if not user.is_logged_in:
            return
        identity = str(user.get("email") or user.get("sub") or "")
        with open_library() as lib:
            actor = lib.sign_in_verified(identity)
        if actor.token:
            ss[EDITOR_TOKEN], ss["editor_name"] = actor.token, actor.name
    except Exception:  # noqa: BLE001 - no provider, no library: a viewer
        log.exception("identity-provider sign-in failed")


def sign_out() -> None:
    ss = st.session_state
    try:
        with open_library() as lib:
            lib.sign_out()
    except Exception:  # noqa: BLE001
        log.exception("sign-out failed")
    ss.pop(EDITOR_TOKEN, None)
    flash("info", "signed_out", name=ss.pop("editor_name", ""))
    if oidc_configured():
        try:
            st.logout()
        except Exception:  # noqa: BLE001
            log.exception("identity-provider sign-out failed")


# -- widgets bound to the scenario -----------------------------------------------------------------

def same_value(a: Any, b: Any) -> bool:
    """Whether a widget showing ``a`` shows ``b`` (numbers within rounding of the widget's own arithmetic)."""
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def seed(key: str, value: Any) -> None:
    """Make widget ``key`` show ``value`` — writing its state only when it shows something else (the widget is new
    on this page, or the value changed from elsewhere). Never on the run the widget's own change caused: the write
    would send the value back to the browser and overwrite the user's newer input."""
    ss = st.session_state
    if key not in ss or not same_value(ss[key], value):
        ss[key] = value


def bound(widget: Callable, label: str, key: str, value: Any, to_fields: Callable[[Any], dict], **kw):
    """Draw ``widget`` showing ``value`` (taken from the scenario); on change, apply ``to_fields(new)``.

    The widget's default is ``value`` too. Streamlit's browser side can hand a widget's default back as if the user
    had chosen it: in a burst of slider presses on the next-plan page (a full run and fragment runs crossing), the
    targets' number inputs came back at their minimum, 1e-6 (a number input's default when none is given), and the
    growth rates followed the targets to −98 %. With the scenario's value as the default such a return changes
    nothing (the value is part of no keyed widget's identity, so the widget is not remounted when it changes)."""
    seed(key, value)
    return widget(label, key=key, on_change=_apply, args=(key, to_fields), **default_kw(widget, value, kw), **kw)


def default_kw(widget: Callable, value: Any, kw: dict) -> dict:
    """The argument that makes ``value`` the default of ``widget`` (an index into the options for a select box or a
    radio; nothing when the value is not among them)."""
    if getattr(widget, "__name__", "") in ("selectbox", "radio"):  # by name: tests stand in for streamlit
        options = list(kw.get("options", ()))
        return {"index": options.index(value)} if value in options else {}
    return {"value": value}


def _apply(key: str, to_fields: Callable[[Any], dict]) -> None:
    try:
        fields = to_fields(st.session_state[key])
    except (ValueError, TypeError, ArithmeticError) as exc:
        flash("error", "scenario_error", [str(exc)])
        return
    if fields:
        change(**fields)
