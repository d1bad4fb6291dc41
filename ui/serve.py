"""Start the app as `streamlit run` does, with one repair applied before the server takes its first request:
``python -m ui.serve run app.py [streamlit options]`` (deploy/run-local.sh starts every replica this way).

A slider reruns only its fragment. A session that has never run the page — the browser reconnected to another
replica after one failed — knows no fragment, and Streamlit drops such a rerun, so every move after a failover was
lost. :func:`full_run_for_an_unknown_fragment` turns a fragment rerun the session does not know into a full run with
the browser's widget states, which registers the fragments again. ui/layout.py applies it too (a plain
`streamlit run` has it from the first page run on).
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




def main() -> None:
    full_run_for_an_unknown_fragment()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *sys.argv[1:]]
    streamlit_main()


if __name__ == "__main__":
    main()
