"""ui/serve.py's repairs of Streamlit's server: a session's event-loop callbacks handed over in bursts keep their
order, all run once, survive one that fails, and are dropped after the loop is closed (as Streamlit drops them)."""
from __future__ import annotations

import asyncio
import random
import threading
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from ui import serve


def _session(loop):
    from streamlit.runtime.app_session import AppSession

    class Session(AppSession):  # only the loop is used by the scheduling; nothing else to shut down
        def __del__(self):
            pass

    serve.one_wakeup_per_burst()
    session = Session.__new__(Session)
    session._event_loop = loop
    return session


def _run(pauses: list[float], fail: set[int] = frozenset()) -> tuple[list[int], int]:
    """Schedule len(pauses) callbacks from a script thread, pausing between them; (order they ran in, wake-ups)."""
    loop = asyncio.new_event_loop()
    ran: list[int] = []
    done = threading.Event()
    session = _session(loop)
    wakeups = [0]
    original = loop.call_soon_threadsafe

    def counting(*a, **k):
        wakeups[0] += 1
        return original(*a, **k)

    loop.call_soon_threadsafe = counting

    def callback(i):
        def cb():
            ran.append(i)
            if i in fail:
                raise RuntimeError(f"callback {i} fails")
            if len(ran) == len(pauses):
                done.set()
        return cb

    def script():
        for i, pause in enumerate(pauses):
            session._call_soon_on_event_loop(callback(i))
            if pause:
                time.sleep(pause)

    def stop_when_done():
        done.wait(10)
        loop.call_soon_threadsafe(loop.stop)

    thread = threading.Thread(target=script)
    watcher = threading.Thread(target=stop_when_done)
    thread.start()
    watcher.start()
    loop.run_forever()
    thread.join()
    watcher.join()
    loop.close()
    return ran, wakeups[0]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([0.0, 0.0, 0.0, 0.001, 0.006]), min_size=1, max_size=40))
def test_callbacks_run_once_in_order_whatever_the_timing(pauses):
    ran, _ = _run(pauses)
    assert ran == list(range(len(pauses)))


def test_a_burst_wakes_the_loop_once():
    ran, wakeups = _run([0.0] * 50)
    assert ran == list(range(50))
    assert wakeups < 5  # unpatched: 50, one per callback


def test_a_failing_callback_does_not_stop_the_others():
    ran, _ = _run([0.0] * 10, fail={3})
    assert ran == list(range(10))


def test_after_the_loop_is_closed_callbacks_are_dropped():
    loop = asyncio.new_event_loop()
    loop.close()
    session = _session(loop)
    session._call_soon_on_event_loop(lambda: None)  # no error, as Streamlit's own drops it
    session._call_soon_on_event_loop(lambda: None)


def test_patched_once():
    from streamlit.runtime.app_session import AppSession

    serve.one_wakeup_per_burst()
    first = AppSession._call_soon_on_event_loop
    serve.one_wakeup_per_burst()
    assert AppSession._call_soon_on_event_loop is first
    assert getattr(first, "_one_wakeup_per_burst", False)


def test_random_pauses_keep_order():
    rng = random.Random(7)
    pauses = [rng.choice([0.0, 0.0005, 0.003, 0.005]) for _ in range(200)]
    ran, wakeups = _run(pauses)
    assert ran == list(range(200))
    assert wakeups < 200


# -- the theme part of a run's first message, built once per configuration --------------------------------------------

THEME_OPTIONS = {  # option (section.name) -> values it may take; sections as Streamlit reads them for new_session
    "primaryColor": st.sampled_from(["#a82c3a", "#0072B2", "red"]),
    "textColor": st.sampled_from(["#111111", "#2f2d2b"]),
    "backgroundColor": st.sampled_from(["#ffffff", "#0e1117"]),
    "base": st.sampled_from(["light", "dark"]),
    "baseFontSize": st.integers(12, 20),
    "showWidgetBorder": st.booleans(),
    "font": st.sampled_from(["sans-serif", "'Noto Sans CJK SC', sans-serif"]),
    "chartCategoricalColors": st.lists(st.sampled_from(["#0072B2", "#E69F00", "#009E73"]), min_size=1, max_size=3),
}
THEME_SECTIONS = ["theme", "theme.light", "theme.dark", "theme.sidebar", "theme.light.sidebar", "theme.dark.sidebar"]


class _Session:
    """What AppSession._create_new_session_message reads of a session (nothing else is built)."""

    def __init__(self):
        from streamlit.runtime.app_session import AppSessionState

        self._script_data = type("SD", (), {"name": "app", "main_script_path": "/app/app.py", "is_hello": False})()
        self._pages_manager = type("PM", (), {"main_script_path": "/app/app.py", "main_script_hash": "h",
                                              "get_pages": lambda self: {}})()
        self._run_on_save = False
        self._state = AppSessionState.APP_NOT_RUNNING
        self.id = "session"

    def _populate_app_pages(self, msg, pages):
        pass

    def _compute_skills_nudge_state(self):
        return False, ""


def _new_session_bytes(populate) -> bytes:
    """Streamlit's own new_session message for a run, built with ``populate`` as its theme filler."""
    from streamlit.runtime import app_session
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.scriptrunner_utils.run_descriptor import RunDescriptor

    patched = app_session._populate_theme_msg
    app_session._populate_theme_msg = populate
    try:
        msg = AppSession._create_new_session_message(_Session(), "page", RunDescriptor("run", ()))
    finally:
        app_session._populate_theme_msg = patched
    return msg.SerializeToString(deterministic=True)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(THEME_SECTIONS), st.sampled_from(sorted(THEME_OPTIONS))),
                         min_size=1, max_size=3)
                .flatmap(lambda keys: st.tuples(*[st.tuples(st.just(k), THEME_OPTIONS[k[1]]) for k in keys])),
                max_size=3))
def test_the_kept_theme_message_equals_streamlits_after_any_option_changes(steps):
    """Whatever theme options are set in place, one after another, every run's new_session message built with the
    kept theme part is byte for byte Streamlit's own; and a configuration parsed again is read again."""
    from streamlit import config
    from streamlit.runtime import app_session

    serve.theme_message_once()
    kept = app_session._populate_theme_msg
    original = kept._original
    try:
        assert _new_session_bytes(kept) == _new_session_bytes(original)
        for changes in steps:
            for (section, name), value in changes:
                config.set_option(f"{section}.{name}", value)
            first, again = _new_session_bytes(kept), _new_session_bytes(kept)  # built, then taken as kept
            assert first == again == _new_session_bytes(original)
    finally:
        config.get_config_options(force_reparse=True)  # back to the repository's .streamlit/config.toml
    assert _new_session_bytes(kept) == _new_session_bytes(original)


def test_the_theme_part_is_read_once_per_configuration(monkeypatch):
    from streamlit import config
    from streamlit.runtime import app_session

    serve.theme_message_once()
    kept = app_session._populate_theme_msg
    config.get_config_options(force_reparse=True)
    _new_session_bytes(kept)  # read once for this table
    reads = []
    real = config.get_options_for_section
    monkeypatch.setattr(config, "get_options_for_section", lambda section: reads.append(section) or real(section))
    for _ in range(5):
        _new_session_bytes(kept)
    assert reads == []  # unpatched: six a run
    config.get_config_options(force_reparse=True)
    _new_session_bytes(kept)
    assert sorted(reads) == sorted(THEME_SECTIONS)


def test_theme_patch_applied_once():
    from streamlit.runtime import app_session

    serve.theme_message_once()
    first = app_session._populate_theme_msg
    serve.theme_message_once()
    assert app_session._populate_theme_msg is first and first._once


# -- the sender signalled on the loop's own thread without a wake-up ---------------------------------------------------

def _runtime(loop):
    from streamlit.runtime.runtime import Runtime

    serve.send_signal_on_the_loop()
    runtime = Runtime.__new__(Runtime)
    event = asyncio.Event()
    runtime._async_objs = type("Objs", (), {"eventloop": loop, "need_send_data": event})()
    return runtime, event


def test_a_message_queued_on_the_loop_signals_without_a_wakeup():
    loop = asyncio.new_event_loop()
    wakeups = []
    original = loop.call_soon_threadsafe
    loop.call_soon_threadsafe = lambda *a, **k: wakeups.append(a) or original(*a, **k)
    try:
        async def on_the_loop():
            runtime, event = _runtime(loop)
            runtime._enqueued_some_message()
            return event.is_set()

        assert loop.run_until_complete(on_the_loop()) is True
        assert wakeups == []  # unpatched: one wake-up per message
    finally:
        loop.close()


def test_a_message_queued_on_another_thread_still_wakes_the_loop():
    loop = asyncio.new_event_loop()
    try:
        async def make():
            return _runtime(loop)

        runtime, event = loop.run_until_complete(make())
        thread = threading.Thread(target=runtime._enqueued_some_message)
        thread.start()
        thread.join()
        assert not event.is_set()  # not set from the other thread: scheduled on the loop

        async def settle():
            await asyncio.sleep(0)
            return event.is_set()

        assert loop.run_until_complete(settle()) is True
    finally:
        loop.close()
