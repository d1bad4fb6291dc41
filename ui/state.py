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
from typing import Any, Callable

import streamlit as st

from model import PlanData, Scenario, ScenarioError, load_plan_data, presets, run
from model.calc.analysis import Fan, simulate
from model.io.assumptions import MAX_ASSUMPTIONS_BYTES, from_assumptions_csv
from model.io.export import Results, all_files
from model.io.library import ENV_DB, Library
from model.io.url import Notice, decode, encode
from model.report.story import story
from model.report.labels import preset_name as display_name
from model.report.text import LANGS
from model.scenario import FIELDS, PRESET_NAMES, clean_name
from model.scenario.presets import CUSTOM, honest_name

log = logging.getLogger("shifeng.ui")

SCENARIO, HISTORY, NOTICES, FLASH, SAVED = "scenario", "history", "url_notices", "flash", "saved"
BASE_PRESET = "plan-targets"  # links are written as differences from this preset
CUSTOM_NAME = CUSTOM
MAX_HISTORY = 50
MAX_UPLOAD_BYTES = MAX_ASSUMPTIONS_BYTES


# -- cached model calls ----------------------------------------------------------------------------
# cache_resource, not cache_data: these values are immutable (frozen dataclasses whose frames nobody
# mutates), and cache_data would unpickle a fresh copy on every call, several times per rerun.
# A Scenario is keyed by its repr, which spells out every field exactly (the generic hasher walks it slowly).

@st.cache_resource(show_spinner=False)
def load_data() -> PlanData:
    return load_plan_data()


@st.cache_resource(show_spinner=False)
def preset_table() -> dict[str, Scenario]:
    return presets(load_data())


@st.cache_resource(show_spinner=False, max_entries=512, hash_funcs={Scenario: repr})
def _run(s: Scenario, lists: tuple = ()) -> Results:
    if not lists:
        return run(load_data(), s)
    from .documents import data_with

    return run(data_with(lists), s)


def results(s: Scenario) -> Results:
    """The scenario's results, cached by scenario. A scenario naming a next plan's project or road list (``pj=``,
    ``rd=``) runs on that list where it can be opened (ui/documents.py), else on the annexes."""
    lists = ()
    if s.projects_ref is not None or s.roads_ref is not None:
        from .documents import lists_for

        lists = lists_for(s)
    return _run(s, lists)


def data_for(s: Scenario) -> PlanData:
    """The data scenario ``s`` runs on: the plan's, or with the next plan's lists it names (pj=, rd=)."""
    if s.projects_ref is None and s.roads_ref is None:
        return load_data()
    from .documents import data_for as with_lists

    return with_lists(s)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs={Scenario: repr})
def fan(s: Scenario) -> Fan:
    """The scenario's Monte Carlo (analysis page, story): computed once per scenario and seed."""
    return simulate(s, results(s).projection.targets)


def story_steps(s: Scenario, lang: str) -> list:
    """The story of ``s``; a rebased scenario's base is described from the session's actuals set."""
    measure, achieved = "", None
    if s.base_year != load_data().role_year("rail_base"):
        from model.calc.nextplan import achieved_growth, base_actuals

        from .documents import actuals

        aset = actuals()
        if aset is not None:
            try:
                base = base_actuals(aset.frame(), load_data(), s.base_year)
                measure, achieved = base.total_measure or base.rail_measure, achieved_growth(base, load_data())[0]
            except ScenarioError:
                pass
    return _story(s, lang, measure, achieved)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs={Scenario: repr})
def _story(s: Scenario, lang: str, measure: str, achieved: float | None) -> list:
    return story(data_for(s), results(s), lang, fan(s), base_measure=measure, achieved=achieved)


_EXPORTS: dict[Scenario, dict[str, bytes]] = {}
_EXPORTS_LOCK = threading.Lock()


def lazy_file(data: PlanData, r: Results, name: str) -> Callable[[], bytes]:
    """A download callable: Streamlit runs it on click, in another thread, so it captures what it needs now."""
    s = r.scenario

    def make() -> bytes:
        with _EXPORTS_LOCK:
            files = _EXPORTS.get(s)
            if files is None:
                if len(_EXPORTS) > 32:
                    _EXPORTS.clear()
                files = _EXPORTS[s] = all_files(data, r)
        return files[name]

    return make


def base() -> Scenario:
    return preset_table()[BASE_PRESET]


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


def init() -> None:
    """First run of a session: the scenario from the URL (bad parameters become notices)."""
    ss = st.session_state
    if SCENARIO not in ss:
        data = load_data()
        params = st.query_params.to_dict()
        # a link naming a next plan's project list may exclude or delay its ids: checked when the list is opened
        ids = None if params.get("pj") else data.projects["project_id"]
        s, notices = decode(params, base(), project_ids=ids)
        ss[SCENARIO] = canonical(s)  # a preset's name only for that preset's numbers; old display names read back
        ss[HISTORY] = []
        ss.setdefault(NOTICES, []).extend(notices)
        ss.setdefault(SAVED, {})


def scenario() -> Scenario:
    return st.session_state[SCENARIO]


def set_scenario(new: Scenario) -> None:
    ss = st.session_state
    new = canonical(new)
    if new != ss[SCENARIO]:
        ss[HISTORY] = (ss[HISTORY] + [ss[SCENARIO]])[-MAX_HISTORY:]
        ss[SCENARIO] = new


# -- the scenario's name: a function of its values and of what the user typed ------------------------------

_VALUE_FIELDS = tuple(f.name for f in FIELDS if f.name != "name")
AUTO_NAMES = frozenset(PRESET_NAMES) | {CUSTOM}  # names the app gives; any other name is the user's


def _slugs() -> dict[str, str]:
    """Display name (every language, as the name box shows it) → slug, for the presets and ``custom``."""
    table = getattr(_slugs, "table", None)
    if table is None:
        table = {clean_name(display_name(slug, lg)): slug for slug in AUTO_NAMES for lg in LANGS}
        table.update({slug: slug for slug in AUTO_NAMES})
        _slugs.table = table
    return table


def slug_of(name: str) -> str:
    """A preset's or custom's display name in any language (规划目标情景, Plan targets, 自定义情景 …) → its slug (an
    old link or a name box read back); any other name unchanged."""
    return _slugs().get(clean_name(name), name)


def same_values(a: Scenario, b: Scenario) -> bool:
    """Every setting equal, whatever the names."""
    return all(getattr(a, f) == getattr(b, f) for f in _VALUE_FIELDS)


def canonical(s: Scenario, table: dict[str, Scenario] | None = None) -> Scenario:
    """``s`` with the name its values give it: an automatic name (a preset's, ``custom``, or one of their display
    names) becomes the slug of the preset whose every value ``s`` has, else ``custom``; a user's own name stays
    (model.scenario.presets.honest_name: a preset's name never on other numbers)."""
    table = preset_table() if table is None else table
    name = slug_of(s.name)
    if name in AUTO_NAMES:
        name = next((slug for slug, p in table.items() if same_values(s, p)), CUSTOM)
    out = s if name == s.name else s.with_(name=name)
    return honest_name(out, table)


def change(**fields) -> bool:
    """Apply field changes to the scenario; an invalid change is refused with a message.

    The result is named by :func:`canonical`: a preset that is changed is no longer that preset and is named
    ``custom`` (unless the user named it), so no file, link or brief carries a preset's name for other numbers.
    """
    try:
        set_scenario(scenario().with_(**fields))
        return True
    except ScenarioError as exc:
        flash("error", "scenario_error", exc.problems)
        return False


NAME_GEN = "name_box_gen"


def name_key(lang: str) -> str:
    """The scenario-name box's widget key: a new box whenever the name (or the language it is shown in) changes from
    elsewhere, so the box never has its state written by the script, and an event from a box drawn for an earlier
    name (a stale value sent along with a slider's rerun) belongs to a widget that is no longer drawn."""
    name = scenario().name
    digest = hashlib.sha1(f"{lang}\x00{name}".encode("utf-8")).hexdigest()[:10]
    return f"scenario_name_{digest}_{st.session_state.get(NAME_GEN, 0)}"


def name_box(label: str, lang: str, container=None, **kw):
    """The scenario-name text box: shows the name in ``lang``; typing renames (:func:`rename`)."""
    s = scenario()
    key, shown = name_key(lang), display_name(s.name, lang)
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
    q = encode(scenario(), base())
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


def sync_url() -> None:
    target = share_params()
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)


def load_upload(key: str) -> None:
    """on_change of the assumptions uploader: parse, then replace the scenario or explain why not."""
    f = st.session_state.get(key)
    if f is None:
        return
    name = getattr(f, "name", "assumptions.csv")
    try:
        if getattr(f, "size", 0) > MAX_UPLOAD_BYTES:
            raise ScenarioError([f"{name}:-:-: larger than {MAX_UPLOAD_BYTES // 1000} kB: not an assumptions file"])
        s = canonical(from_assumptions_csv(f.getvalue(), name, set(load_data().projects["project_id"])))
        problems = s.check_against(load_data())
        if problems:
            raise ScenarioError([f"{name}:-:value: {p}" for p in problems])
    except ScenarioError as exc:
        flash("error", "upload_bad", exc.problems, file=name)
        return
    except Exception:  # noqa: BLE001 - a bad upload must never break the page
        log.exception("upload failed")
        flash("error", "upload_bad", ["unreadable file"], file=name)
        return
    set_scenario(s)
    flash("success", "upload_ok", name=display_name(s.name, st.session_state.get("lang", "zh")))


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
    """Draw ``widget`` showing ``value`` (taken from the scenario); on change, apply ``to_fields(new)``."""
    seed(key, value)
    return widget(label, key=key, on_change=_apply, args=(key, to_fields), **kw)


def _apply(key: str, to_fields: Callable[[Any], dict]) -> None:
    try:
        fields = to_fields(st.session_state[key])
    except (ValueError, TypeError, ArithmeticError) as exc:
        flash("error", "scenario_error", [str(exc)])
        return
    if fields:
        change(**fields)
