"""Every page also runs as a script on its own (`streamlit run pages/…`, or AppTest of that one file, as an office's
own checks may do): Streamlit then knows no other page, so the sidebar says so instead of linking, and the page
shows no error box and raises nothing."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

FILES = ["app.py"] + sorted(p.relative_to(REPO).as_posix() for p in (REPO / "pages").glob("*.py"))


@pytest.mark.parametrize("path", FILES)
def test_a_page_run_on_its_own_shows_no_error(path):
    at = AppTest.from_file(str(REPO / path), default_timeout=120).run()
    assert not at.exception, [str(e.value)[:300] for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    if path != "app.py":
        assert any("app.py" in c.value for c in at.sidebar.caption)
