"""Work a server's first page needs, begun when the server starts (Streamlit's ``st.App`` lifespan): the browser
loads Streamlit's front end for about a second before it asks for a run, and the first run no longer pays for our
modules (Altair and the chart builders among them), the default plan package, its presets or its base results.

``app.py`` serves itself as ``st.App`` under ``streamlit run app.py`` (Streamlit finds the ``app`` variable), and runs
as the home page's script in every session."""
from __future__ import annotations

import contextlib
import gc
import logging
import threading
import time

log = logging.getLogger("shifeng.warmup")


def warm() -> float:
    """Our modules imported, the default plan loaded, its presets and base results computed (seconds taken). Every
    value goes where the pages look for it (content-keyed maps in ui.state), so a first run finds it ready; nothing
    here is needed: a failure is logged and the first run does the work itself."""
    t0 = time.perf_counter()
    from model.report import charts  # noqa: F401 - Altair and the chart builders
    from ui import layout, state, views  # noqa: F401 - the pages' shared modules

    data = state.deployment_default()
    table = state.preset_table(data)
    base = table[state.base_slug(data)]
    state.results(base)
    return time.perf_counter() - t0


# The collector's thresholds once the server's long-lived objects are frozen (see settle_gc): a young-generation
# collection every 10,000 net allocations instead of 700, an older one every 20 of those.
GC_THRESHOLDS = (10_000, 20, 20)


def settle_gc() -> None:
    """The cyclic garbage collector told what lives as long as the server: everything loaded so far (modules, Altair's
    schema, the default plan, its presets and results) is collected once, then frozen out of every later collection
    (``gc.freeze``), and young collections run less often (:data:`GC_THRESHOLDS`). Reference counting still frees
    everything a run drops; what changes is the periodic scan. Measured on the evaluation page with the slider
    pressed 40 times (time in ``gc.callbacks``): 2.4 ms of collection a move before (one full collection, ~85 ms,
    every 40 moves), 0.5 ms after."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@contextlib.asynccontextmanager
async def lifespan(app):
    """Starts :func:`warm` in a thread, so the server answers at once; then :func:`settle_gc` (after a failed
    warm-up too: what the server has loaded by then is as long-lived)."""
    def run() -> None:
        try:
            log.info("warm-up done in %.2f s", warm())
        except Exception:  # noqa: BLE001 - an optimisation only: the first run does the work
            log.exception("warm-up failed")
        try:
            settle_gc()
        except Exception:  # noqa: BLE001 - nor is this
            log.exception("gc settings failed")

    threading.Thread(target=run, name="warm-up", daemon=True).start()
    yield
