"""Start the app as `streamlit run` does, with its repairs applied before the server takes its first request:
``python -m ui.serve run app.py [streamlit options]`` (deploy/run-local.sh starts every replica this way).

A slider reruns only its fragment. A session that has never run the page — the browser reconnected to another
replica after one failed — knows no fragment, and Streamlit drops such a rerun, so every move after a failover was
lost. :func:`full_run_for_an_unknown_fragment` turns a fragment rerun the session does not know into a full run with
the browser's widget states, which registers the fragments again. :func:`one_wakeup_per_burst` hands a run's
messages to the server's event loop in bursts instead of one wake-up each; :func:`send_signal_on_the_loop` lets a
message queued on the loop's own thread signal the sender without waking the loop through its socket; and
:func:`theme_message_once` builds the theme part of every run's first message once per configuration instead of
reading every configuration option six times a run. ui/layout.py applies them all too: under a plain
`streamlit run app.py` they are in effect from the server's start-up work on (ui/warmup.py imports ui.layout).
"""
from __future__ import annotations

import importlib
import json
import sys


def _unpatched(module: str, owner: str | None, attr: str, mark: str):
    """(the object that holds ``attr`` — module ``module``, or its class ``owner`` — and the value of ``attr``), or
    None when Streamlit has no such thing (another layout: nothing to patch) or it is patched already (its value
    carries ``mark``): every patch here is applied once per process."""
    try:
        holder = importlib.import_module(module)
        holder = getattr(holder, owner) if owner else holder
    except (ImportError, AttributeError):  # pragma: no cover - another Streamlit layout: nothing to patch
        return None
    original = getattr(holder, attr, None)
    if original is None or getattr(original, mark, False):
        return None
    return holder, original


def full_run_for_an_unknown_fragment() -> None:
    """A slider reruns only its fragment; a session that has never run the page (the browser reconnected to another
    replica after one failed) knows no fragment, and Streamlit drops such a rerun, so every move after a failover was
    lost. Here a fragment rerun the session does not know becomes a full run with the browser's widget states, which
    registers the fragments again (applied once per process)."""
    found = _unpatched("streamlit.runtime.app_session", "AppSession", "request_rerun", "_full_run_for_unknown_fragment")
    if found is None:
        return
    AppSession, original = found

    def request_rerun(self, client_state):
        if client_state is not None and client_state.fragment_id and not self.has_fragment(client_state.fragment_id):
            client_state.fragment_id = ""
        return original(self, client_state)

    request_rerun._full_run_for_unknown_fragment = True
    AppSession.request_rerun = request_rerun


BURST_S = 0.004  # how long the loop lets a script run's messages gather before it handles them


def one_wakeup_per_burst() -> None:
    """Hand a script run's messages to the event loop in bursts, not one by one.

    Streamlit schedules every message a script run produces (each element, each block) as its own callback on the
    server's event loop, from the script's thread: one ``call_soon_threadsafe`` each, which writes to the loop's
    wake-up socket and hands the interpreter lock to the loop thread and back, dozens of times per slider move. Here
    a session's callbacks go into one queue, in the order they were made, and the loop is woken only when the queue
    was empty; :data:`BURST_S` later it runs all that have arrived, in order, and any that arrive meanwhile (applied
    once per process). A message reaches the browser at most 4 ms later; a slider move costs the server fewer
    wake-ups (README, Performance)."""
    found = _unpatched("streamlit.runtime.app_session", "AppSession", "_call_soon_on_event_loop",
                       "_one_wakeup_per_burst")
    if found is None:
        return
    AppSession, original = found
    import collections
    import logging
    import threading

    log = logging.getLogger(__name__)
    guard = threading.Lock()

    def drain(self) -> None:
        queue = self.__dict__["_burst_queue"]
        while True:
            with guard:
                if not queue:
                    self.__dict__["_burst_scheduled"] = False
                    return
                batch = list(queue)
                queue.clear()
            for callback in batch:
                try:
                    callback()
                except Exception:  # noqa: BLE001 - as the loop does for a failing callback: logged, the rest run
                    log.exception("event-loop callback failed")

    def call_soon(self, callback) -> None:
        loop = getattr(self, "_event_loop", None)
        if loop is not None and loop.is_closed():  # as Streamlit does: a callback after shutdown is dropped
            return
        with guard:
            queue = self.__dict__.setdefault("_burst_queue", collections.deque())
            queue.append(callback)
            if self.__dict__.get("_burst_scheduled"):
                return
            self.__dict__["_burst_scheduled"] = True
        try:
            original(self, lambda: self._event_loop.call_later(BURST_S, drain, self))
        except BaseException:
            with guard:
                self.__dict__["_burst_scheduled"] = False
            raise

    call_soon._one_wakeup_per_burst = True
    AppSession._call_soon_on_event_loop = call_soon


def send_signal_on_the_loop() -> None:
    """A message queued on the event loop's own thread signals the sender directly.

    Streamlit calls ``Runtime._enqueued_some_message`` for every message it queues for a browser; it sets the
    "data to send" event through ``call_soon_threadsafe``, which writes to the loop's wake-up socket every time. With
    :func:`one_wakeup_per_burst` the messages are queued on the loop's thread itself, where the event can be set
    directly (an ``asyncio.Event`` belongs to that loop): the same signal, without a system call per message. From
    any other thread it is signalled as before (applied once per process)."""
    found = _unpatched("streamlit.runtime.runtime", "Runtime", "_enqueued_some_message", "_on_the_loop")
    if found is None:
        return
    Runtime, original = found
    import asyncio

    def enqueued_some_message(self) -> None:
        objs = getattr(self, "_async_objs", None)
        if objs is not None and asyncio._get_running_loop() is objs.eventloop:
            objs.need_send_data.set()  # on the loop's thread: no wake-up needed
            return
        original(self)

    enqueued_some_message._on_the_loop = True
    Runtime._enqueued_some_message = enqueued_some_message


def theme_message_once() -> None:
    """The theme part of a run's first message built once per configuration.

    Every script run, a slider's fragment run too, starts with a ``new_session`` message whose six theme sections
    Streamlit fills by reading every configuration option once per section (``config.get_options_for_section``) and
    converting each theme option's name: about a fifth of the server's CPU for a slider move (py-spy). The options
    are the same until the configuration is parsed again, which replaces Streamlit's option table, or an option is
    set in place (``config.set_option``, counted here); each section's result is kept with the table and count it was
    read with and copied into the message, exactly as built (a section with no option set leaves the message
    untouched, as before; tests/test_serve.py compares whole messages)."""
    from streamlit import config

    found = _unpatched("streamlit.runtime.app_session", None, "_populate_theme_msg", "_once")
    if found is None or not hasattr(config, "get_config_options"):
        return
    app_session, original = found
    import threading

    kept: dict[str, tuple[object, bool, bytes]] = {}  # section -> ((option table, changes), marked present, bytes)
    guard = threading.Lock()
    changes = [0]  # options set in place (config.set_option) since start: each one makes every section read anew
    set_option = getattr(config, "_set_option", None)
    if set_option is not None and not getattr(set_option, "_counted", False):
        def counted_set_option(*args, **kwargs):
            changes[0] += 1
            return set_option(*args, **kwargs)

        counted_set_option._counted = True
        config._set_option = counted_set_option

    def populate_theme_msg(msg, section: str = "theme") -> None:
        source = (config.get_config_options(), changes[0])
        with guard:
            hit = kept.get(section)
        if hit is None or hit[0][0] is not source[0] or hit[0][1] != source[1]:
            holder = type(msg)()  # a CustomThemeConfig, whose `sidebar` is one too: a section inside a parent
            original(holder.sidebar, section)
            # whether the original marks the section present (it does whenever it sets a field, a default included)
            hit = (source, holder.HasField("sidebar"), holder.sidebar.SerializeToString())
            with guard:
                kept[section] = hit
        if hit[1]:
            msg.SetInParent()
            msg.MergeFromString(hit[2])

    populate_theme_msg._once = True
    populate_theme_msg._original = original
    app_session._populate_theme_msg = populate_theme_msg


MAX_EDITED_ROWS = 5_000  # rows of edits one table state may carry (our largest table has a few hundred rows)


def bounded_data_editor_states() -> None:
    """A data editor's state as the browser sends it is JSON that Streamlit parses and applies before the page runs:
    a 5,000-digit number raised in its parser (an uncaught exception on the page), and 20,000 added rows in an 80 kB
    message kept a core busy for 38 s. No table of this app adds or deletes rows (every editor is fixed), so a state
    is read with its edits only, at most ``MAX_EDITED_ROWS`` of them, and one that does not parse is no edit."""
    found = _unpatched("streamlit.elements.widgets.data_editor", "DataEditorSerde", "deserialize", "_bounded")
    if found is None:
        return
    holder, original = found

    def deserialize(self, ui_value):
        if ui_value is not None:
            try:
                raw = json.loads(ui_value, parse_int=float, parse_constant=lambda _c: None)
                edited = raw.get("edited_rows", {}) if isinstance(raw, dict) else None
                ok = isinstance(edited, dict) and len(edited) <= MAX_EDITED_ROWS and all(
                    isinstance(v, dict) for v in edited.values())
                ui_value = json.dumps({"edited_rows": edited, "added_rows": [], "deleted_rows": []}) if ok else None
            except (ValueError, RecursionError, TypeError):
                ui_value = None
        try:
            return original(self, ui_value)
        except (ValueError, RecursionError, TypeError, AttributeError, KeyError):
            return original(self, None)

    deserialize._bounded = True
    holder.deserialize = deserialize


def apply_all() -> None:
    """Every repair of Streamlit's server in this module (each applied once per process)."""
    bounded_data_editor_states()
    full_run_for_an_unknown_fragment()
    one_wakeup_per_burst()
    send_signal_on_the_loop()
    theme_message_once()


def main() -> None:
    apply_all()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *sys.argv[1:]]
    streamlit_main()


if __name__ == "__main__":
    main()
