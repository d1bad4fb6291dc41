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


def urls() -> bytes:
    m = BackMsg()
    m.file_urls_request.request_id = "r"
    return m.SerializeToString()


class Request:  # what Playwright's request events carry that RunWatch reads
    def __init__(self, url: str):
        self.url = url


UPLOAD = Request("http://127.0.0.1:8501/_stcore/upload_file/session/file")
OTHER = Request("http://127.0.0.1:8501/_stcore/health")


def watch(*events) -> RunWatch:
    w = RunWatch()
    for who, payload in events:
        {"page": w.sent, "server": w.received, "begin": w.upload_began, "end": w.upload_ended}[who](payload)
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
    # a file chosen: not idle until its upload has ended and the rerun it causes has run
    done = (("page", ask()), ("server", start()), ("server", finish()))
    assert not watch(*done, ("page", urls())).idle()
    assert not watch(*done, ("page", urls()), ("begin", UPLOAD)).idle()
    assert not watch(*done, ("page", urls()), ("begin", UPLOAD), ("end", UPLOAD)).idle()
    assert not watch(*done, ("page", urls()), ("begin", UPLOAD), ("end", UPLOAD), ("page", ask()),
                     ("server", start())).idle()
    assert watch(*done, ("page", urls()), ("begin", UPLOAD), ("end", UPLOAD), ("page", ask()), ("server", start()),
                 ("server", finish())).idle()
    assert watch(*done, ("begin", OTHER)).idle()  # other requests are not uploads
    # heartbeats and text frames change nothing
    assert watch(("page", ask()), ("server", start()), ("server", finish()), ("page", heartbeat()),
                 ("server", "text"), ("page", "text")).idle()


EVENTS = st.lists(st.sampled_from(["ask", "start", "finish", "early", "delta", "beat", "urls", "upload"]),
                  max_size=30)


@given(EVENTS)
def test_idle_exactly_when_a_run_started_after_the_last_ask_has_finished(kinds):
    """Idle exactly when no upload is in flight, none came after the last rerun asked for, and a run started after
    that ask has finished (an upload is a begin and an end, each drawn as its own event here)."""
    payload = {"ask": [("page", ask())], "beat": [("page", heartbeat())], "start": [("server", start())],
               "finish": [("server", finish())],
               "early": [("server", finish(ForwardMsg.FINISHED_EARLY_FOR_RERUN))], "delta": [("server", delta())],
               "urls": [("page", urls())], "upload": [("begin", UPLOAD), ("end", UPLOAD)]}
    w = watch(*(e for k in kinds for e in payload[k]))
    asks = [i for i, k in enumerate(kinds) if k == "ask"]
    uploads = [i for i, k in enumerate(kinds) if k in ("urls", "upload")]
    if uploads and (not asks or uploads[-1] > asks[-1]):
        assert not w.idle(), kinds
        return
    if not asks:
        assert w.idle()
        return
    after = kinds[asks[-1] + 1:]
    starts = [i for i, k in enumerate(after) if k == "start"]
    expected = bool(starts) and "finish" in after[starts[-1] + 1:]
    assert w.idle() == expected, kinds


def test_an_upload_in_flight_is_never_idle():
    w = watch(("page", ask()), ("server", start()), ("server", finish()), ("begin", UPLOAD), ("page", ask()),
              ("server", start()), ("server", finish()))
    assert not w.idle()  # a rerun ran meanwhile, but the file has not arrived
    w.upload_ended(UPLOAD)
    assert not w.idle()  # arrived: the rerun it causes is still to come
    for who, payload in (("page", ask()), ("server", start()), ("server", finish())):
        (w.sent if who == "page" else w.received)(payload)
    assert w.idle()
