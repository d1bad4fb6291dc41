"""Work a server's first page needs, begun when the server starts (Streamlit's ``st.App`` lifespan): the browser
loads Streamlit's front end for about a second before it asks for a run, and the first run no longer pays for our
modules (Altair and the chart builders among them), the default plan package, its presets or its base results.

``app.py`` serves itself as ``st.App`` under ``streamlit run app.py`` (Streamlit finds the ``app`` variable), and runs
as the home page's script in every session."""
from __future__ import annotations

import contextlib
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


@contextlib.asynccontextmanager
async def lifespan(app):
    """Starts :func:`warm` in a thread, so the server answers at once."""
    def run() -> None:
        try:
            log.info("warm-up done in %.2f s", warm())
        except Exception:  # noqa: BLE001 - an optimisation only: the first run does the work
            log.exception("warm-up failed")

    threading.Thread(target=run, name="warm-up", daemon=True).start()
    yield
