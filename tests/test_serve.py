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
