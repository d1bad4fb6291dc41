"""Start the app as `streamlit run` does, with two repairs applied before the server takes its first request:
``python -m ui.serve run app.py [streamlit options]`` (deploy/run-local.sh starts every replica this way).

A slider reruns only its fragment. A session that has never run the page — the browser reconnected to another
replica after one failed — knows no fragment, and Streamlit drops such a rerun, so every move after a failover was
lost. :func:`full_run_for_an_unknown_fragment` turns a fragment rerun the session does not know into a full run with
the browser's widget states, which registers the fragments again. :func:`one_wakeup_per_burst` hands a run's
messages to the server's event loop in bursts instead of one wake-up each. ui/layout.py applies both too (a plain
`streamlit run` has them from the first page run on).
"""
from __future__ import annotations

import sys


def full_run_for_an_unknown_fragment() -> None:
    """A slider reruns only its fragment; a session that has never run the page (the browser reconnected to another
    replica after one failed) knows no fragment, and Streamlit drops such a rerun, so every move after a failover was
    lost. Here a fragment rerun the session does not know becomes a full run with the browser's widget states, which
    registers the fragments again (applied once per process)."""
    try:
        from streamlit.runtime.app_session import AppSession
    except ImportError:  # pragma: no cover - another Streamlit layout: nothing to patch
        return
    original = AppSession.request_rerun
    if getattr(original, "_full_run_for_unknown_fragment", False):
        return

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
    try:
        from streamlit.runtime.app_session import AppSession
    except ImportError:  # pragma: no cover - another Streamlit layout: nothing to patch
        return
    original = getattr(AppSession, "_call_soon_on_event_loop", None)
    if original is None or getattr(original, "_one_wakeup_per_burst", False):
        return
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


def main() -> None:
    full_run_for_an_unknown_fragment()
    one_wakeup_per_burst()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *sys.argv[1:]]
    streamlit_main()


if __name__ == "__main__":
    main()
