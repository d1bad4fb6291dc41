"""ui/warmup.py: `streamlit run app.py` serves app.py as an st.App whose lifespan begins the first page's work in a
thread at server start; app.py still runs as the home page's script. The warm-up fills the maps the first run reads
(content-keyed, so a first run finds them), and a failing warm-up is logged, never raised (the first run does the
work itself)."""
from __future__ import annotations

import asyncio
import threading

from streamlit.web.server.app_discovery import discover_asgi_app

from tests.conftest import REPO
from ui import state, warmup


def test_streamlit_run_app_py_finds_the_app_with_its_lifespan():
    found = discover_asgi_app(REPO / "app.py")
    assert found.is_asgi_app and found.import_string == "app:app"
    source = (REPO / "app.py").read_text(encoding="utf-8")
    assert 'if __name__ == "__main__":\n    layout.page(body, "nav_overview")' in source  # the page, as a script


def test_warm_up_fills_what_the_first_run_reads():
    state._PRESETS.clear()
    state._RESULTS.clear()
    assert warmup.warm() >= 0
    data = state.deployment_default()
    assert (data.id, data.fingerprint) in state._PRESETS
    base = state.preset_table(data)[state.base_slug(data)]
    assert (state.scenario_key(base), ()) in state._RESULTS


def _serve_until_warmed(monkeypatch) -> None:
    """The app's lifespan serves (its body runs at once) and its warm-up thread has ended, within 30 s."""
    done = threading.Event()
    real_thread = threading.Thread

    class Watched(real_thread):
        def run(self):
            try:
                super().run()
            finally:
                done.set()

    monkeypatch.setattr(warmup.threading, "Thread", Watched)

    async def serve():
        async with warmup.lifespan(None):
            return "served"

    assert asyncio.run(serve()) == "served"
    assert done.wait(30)


def test_a_failing_warm_up_is_logged_and_the_server_starts(monkeypatch, caplog):
    def broken():
        raise RuntimeError("no plan")

    monkeypatch.setattr(state, "deployment_default", broken)
    with caplog.at_level("ERROR", logger="shifeng.warmup"):
        _serve_until_warmed(monkeypatch)
    assert any("warm-up failed" in r.message for r in caplog.records)


def test_the_warm_up_freezes_what_it_loaded_and_sets_the_collector(monkeypatch):
    """After the warm-up thread, a failing one too: the objects loaded so far are frozen out of later collections
    and the thresholds are the app's."""
    import gc

    def broken():
        raise RuntimeError("no plan")

    monkeypatch.setattr(warmup, "warm", broken)
    before = gc.get_threshold()
    try:
        _serve_until_warmed(monkeypatch)
        assert gc.get_threshold() == warmup.GC_THRESHOLDS
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # this test process's modules at least
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
