"""wait_idle reads the page's websocket messages (tests/browser_support.RunWatch): it must call a page idle exactly
when the last rerun the page asked for has started and finished — the property every browser test's waits rest on."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser_support import RunWatch


def ask() -> bytes:
    m = BackMsg()
    m.rerun_script.query_string = ""
    return m.SerializeToString()


def heartbeat() -> bytes:
    m = BackMsg()
    m.app_heartbeat = True
    return m.SerializeToString()


def start() -> bytes:
    m = ForwardMsg()
    m.new_session.main_script_path = "app.py"
    return m.SerializeToString()


def finish(status=ForwardMsg.FINISHED_SUCCESSFULLY) -> bytes:
    m = ForwardMsg()
    m.script_finished = status
    return m.SerializeToString()


def delta() -> bytes:
    m = ForwardMsg()
    m.delta.new_element.markdown.body = "x"
    return m.SerializeToString()


def watch(*events) -> RunWatch:
    w = RunWatch()
    for who, payload in events:
        (w.sent if who == "page" else w.received)(payload)
    return w


def test_known_sequences():
    assert watch().idle()  # nothing asked yet
    assert not watch(("page", ask())).idle()
    assert not watch(("page", ask()), ("server", start())).idle()
    assert not watch(("page", ask()), ("server", start()), ("server", delta())).idle()
    assert watch(("page", ask()), ("server", start()), ("server", finish())).idle()
    # a fragment's run ends with its own status
    assert watch(("page", ask()), ("server", start()), ("server", finish(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY))).idle()
    # a run stopped for the next one is not the end
    assert not watch(("page", ask()), ("server", start()),
                     ("server", finish(ForwardMsg.FINISHED_EARLY_FOR_RERUN))).idle()
    # the end of a run that started before the page asked again is not the end of the run it asked for
    assert not watch(("page", ask()), ("server", start()), ("page", ask()), ("server", finish())).idle()
    # heartbeats and text frames change nothing
    assert watch(("page", ask()), ("server", start()), ("server", finish()), ("page", heartbeat()),
                 ("server", "text"), ("page", "text")).idle()


EVENTS = st.lists(st.sampled_from(["ask", "start", "finish", "early", "delta", "beat"]), max_size=30)


@given(EVENTS)
def test_idle_exactly_when_a_run_started_after_the_last_ask_has_finished(kinds):
    payload = {"ask": ("page", ask()), "beat": ("page", heartbeat()), "start": ("server", start()),
               "finish": ("server", finish()), "early": ("server", finish(ForwardMsg.FINISHED_EARLY_FOR_RERUN)),
               "delta": ("server", delta())}
    w = watch(*(payload[k] for k in kinds))
    asks = [i for i, k in enumerate(kinds) if k == "ask"]
    if not asks:
        assert w.idle()
        return
    after = kinds[asks[-1] + 1:]
    starts = [i for i, k in enumerate(after) if k == "start"]
    expected = bool(starts) and "finish" in after[starts[-1] + 1:]
    assert w.idle() == expected, kinds
