"""Roles at the model level, on both backends: a viewer cannot write through any Library method, wrong passwords,
lockout shared by replicas, sign-out everywhere, session expiry, the audit log, and ``users add``."""
from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from model.io.auth import EDITOR, VIEWER, Actor, Auth, AuthError, LockedOut, hash_password, verify_password
from model.library import Library, NotAllowed, migrate
from tests.conftest import REPO
from tests.test_library import pg_cluster, scen, url  # noqa: F401  (url: the two-backend fixture)

FAST = {"memory_kib": 1024, "time_cost": 1}  # cheap hashes for tests; production uses argon2's defaults
# the smallest actuals sets the library accepts (it checks them with the reader that opens them)
ACTUALS_2021 = "indicator_id,year,value,unit,measure,source,note\r\nrail_output_2025,2021,1010,亿元,总产值,,\r\n"
ACTUALS_2022 = ACTUALS_2021.replace("2021,1010", "2022,1100")


class Clock:
    def __init__(self, t: float = 1_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def hashes():
    return {"张三": hash_password("correct horse", **FAST), "li": hash_password("battery staple", **FAST)}


@pytest.fixture()
def clock():
    return Clock()


@pytest.fixture()
def auth(hashes, clock):
    return Auth(editors=hashes, max_failures=3, window_s=600, lockout_s=900, session_s=3600, clock=clock)


@pytest.fixture()
def seeded(url):
    """A library with one scenario and one actuals set, written by the CLI's actor."""
    with Library(url, Actor.cli("seed")) as lib:
        lib.save("已有", scen())
        lib.save_document("actuals", "实际", ACTUALS_2021)
    return url


WRITES = {
    "save": lambda lib: lib.save("新", scen()),
    "save over": lambda lib: lib.save("已有", scen(0.09)),
    "save_document": lambda lib: lib.save_document("actuals", "实际", ACTUALS_2022),
    "delete": lambda lib: lib.delete("已有"),
    "delete by id": lambda lib: lib.delete(lib.get("已有").short_id),
    "restore": lambda lib: lib.restore("已有"),
    "restore version": lambda lib: lib.restore("已有", 1),
    "unlock": lambda lib: lib.unlock("张三"),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_viewer_cannot_write_through_any_method(seeded, auth, write):
    before = None
    for actor in (None, Actor("anonymous", VIEWER), Actor("张三", EDITOR), Actor("张三", EDITOR, token="forged")):
        with Library(seeded, actor, auth=auth) as lib:  # None: the default actor once accounts exist = viewer
            before = before or (lib.dump(), lib.log())
            assert not lib.can_write
            with pytest.raises(NotAllowed):
                WRITES[write](lib)
            assert (lib.dump(), lib.log()) == before  # nothing written, not even to the audit log
            assert lib.get("已有").version == 1  # reading is fine


def test_migrating_into_a_library_needs_an_editor(seeded, auth, tmp_path, monkeypatch):
    from model.io import auth as auth_module

    monkeypatch.setattr(auth_module.Auth, "from_secrets", classmethod(lambda cls, paths=None: auth))
    with pytest.raises(NotAllowed):
        migrate(seeded, "sqlite:///" + str(tmp_path / "copy.db"), Actor("x", EDITOR))


def test_no_accounts_means_everyone_edits_and_read_only_means_no_one(seeded):
    with Library(seeded, auth=Auth()) as lib:
        assert lib.actor == Actor("local", EDITOR) and lib.can_write
        lib.save("本机", scen())
        with pytest.raises(AuthError, match="no editor accounts"):
            lib.sign_in("x", "whatever1")
    with Library(seeded, Actor("张三", EDITOR), auth=Auth(read_only=True)) as lib:
        with pytest.raises(NotAllowed, match="read-only"):
            lib.save("x", scen())
    with Library(seeded, Actor.cli("运维"), auth=Auth(read_only=True)) as lib:
        lib.save("运维存", scen())  # the CLI runs with the database's credentials


def test_sign_in_wrong_password_then_right(seeded, auth):
    with Library(seeded, auth=auth) as lib:
        with pytest.raises(AuthError, match="wrong name or password"):
            lib.sign_in("张三", "wrong password")
        with pytest.raises(AuthError, match="wrong name or password"):  # unknown name: the same answer
            lib.sign_in("nobody", "correct horse")
        actor = lib.sign_in("张\u200b三", "correct horse")  # names are cleaned like library names
        assert actor.name == "张三" and actor.role == EDITOR and actor.token
        rec = lib.save("签入后", scen())
    with Library(seeded, actor, auth=auth) as other:  # another replica, same session
        other.save("签入后", scen(0.06))
        assert [e.actor for e in other.log(2)] == ["张三", "张三"]
    assert rec.version == 1


def test_lockout_after_n_failures_is_shared_and_expires(seeded, auth, clock):
    with Library(seeded, auth=auth) as a, Library(seeded, auth=auth) as b:  # two replicas
        with pytest.raises(AuthError):
            a.sign_in("li", "nope-1234")
        with pytest.raises(AuthError):
            b.sign_in("li", "nope-1234")
        with pytest.raises(LockedOut):  # the third failure within the window locks
            a.sign_in("li", "nope-1234")
        with pytest.raises(LockedOut):  # even the right password, on the other replica
            b.sign_in("li", "battery staple")
        assert a.sign_in("张三", "correct horse").name == "张三"  # other names are not affected
        clock.t += 901
        assert b.sign_in("li", "battery staple").name == "li"


def test_failures_outside_the_window_do_not_add_up(seeded, auth, clock):
    with Library(seeded, auth=auth) as lib:
        for _ in range(2):
            with pytest.raises(AuthError):
                lib.sign_in("li", "nope-1234")
        clock.t += 601
        for _ in range(2):
            with pytest.raises(AuthError) as exc:
                lib.sign_in("li", "nope-1234")
            assert not isinstance(exc.value, LockedOut)
        lib.sign_in("li", "battery staple")  # a success resets the count
        for _ in range(2):
            with pytest.raises(AuthError):
                lib.sign_in("li", "nope-1234")
        assert lib.sign_in("li", "battery staple").name == "li"


def test_cli_unlock_clears_a_lockout(seeded, auth, monkeypatch):
    with Library(seeded, auth=auth) as lib:
        for _ in range(3):
            with pytest.raises(AuthError):
                lib.sign_in("li", "nope-1234")
    r = subprocess.run([sys.executable, "-m", "model", "users", "unlock", "li", "--db", seeded, "--author", "管理员"],
                       cwd=REPO, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "unlocked 'li'" in r.stdout, r.stderr
    with Library(seeded, auth=auth) as lib:
        assert lib.sign_in("li", "battery staple").name == "li"
        assert any(e.action == "unlock" and e.actor == "管理员" for e in lib.log())


def test_sign_out_ends_the_session_on_every_replica(seeded, auth, clock):
    with Library(seeded, auth=auth) as a:
        actor = a.sign_in("张三", "correct horse")
    with Library(seeded, auth=auth) as b:
        assert b.resume(actor.token) == actor  # e.g. after reconnecting to another replica
        viewer = b.sign_out()
        assert viewer.role == VIEWER
        with pytest.raises(NotAllowed):
            b.save("x", scen())
    with Library(seeded, actor, auth=auth) as c:  # the old token, anywhere
        with pytest.raises(NotAllowed, match="not signed in"):
            c.save("x", scen())
        assert c.resume(actor.token).role == VIEWER


def test_sessions_expire(seeded, auth, clock):
    with Library(seeded, auth=auth) as lib:
        actor = lib.sign_in("li", "battery staple")
        lib.save("a", scen())
        clock.t += 3601
        with pytest.raises(NotAllowed, match="expired"):
            lib.save("a", scen(0.08))
    with Library(seeded, auth=auth) as lib:
        assert lib.resume(actor.token).role == VIEWER


def test_a_removed_account_cannot_write_with_its_old_session(seeded, auth, hashes, clock):
    with Library(seeded, auth=auth) as lib:
        actor = lib.sign_in("li", "battery staple")
    fewer = Auth(editors={"张三": hashes["张三"]}, clock=clock)
    with Library(seeded, actor, auth=fewer) as lib, pytest.raises(NotAllowed):
        lib.save("x", scen())


def test_audit_log_after_a_sequence_of_writes(seeded, auth):
    with Library(seeded, auth=auth) as lib:
        with pytest.raises(AuthError):
            lib.sign_in("张三", "bad password")
        lib.sign_in("张三", "correct horse")
        v1 = lib.save("汇报", scen(0.05), note="初稿")
        lib.save("汇报", scen(0.06))
        lib.delete(v1.short_id)
        lib.restore("汇报")
        lib.restore("汇报", 1)
        lib.save_document("actuals", "实际", ACTUALS_2022)
        lib.sign_out()
        entries = lib.log(9)
    assert {e.actor for e in entries} == {"张三"}
    assert [(e.kind, e.name, e.version) for e in reversed(entries) if e.action != "sign_out"][2:] == [
        ("scenario", "汇报", 1), ("scenario", "汇报", 2), ("scenario", "汇报", 2), ("scenario", "汇报", 2),
        ("scenario", "汇报", 3), ("actuals", "实际", 2)]
    actions = [e.action for e in reversed(entries)]
    assert actions == ["sign_in_failed", "sign_in", "save", "save", "delete", "restore", "restore_version", "save",
                       "sign_out"]
    assert entries[-3].short_id == v1.short_id and entries[-3].detail == "初稿"
    assert all(e.at.endswith("+00:00") for e in entries)
    assert entries[2].version == 3 and entries[2].detail == "from v1"  # restore_version made v3 from v1


def test_password_hashes_verify_in_constant_time_api():
    h = hash_password("long enough", **FAST)
    assert h.startswith("$argon2id$")
    assert verify_password(h, "long enough") and not verify_password(h, "long enougH")
    assert not verify_password(None, "long enough") and not verify_password("not a hash", "x")
    with pytest.raises(AuthError, match="between 8"):
        hash_password("short")


def test_cli_users_add_prints_a_secrets_line_that_works(tmp_path):
    r = subprocess.run([sys.executable, "-m", "model", "users", "add", "王 五", "--password-stdin"], cwd=REPO,
                       capture_output=True, text=True, timeout=60, input="a good password\n")
    assert r.returncode == 0, r.stderr
    line = r.stdout.splitlines()[-1]
    editors = tomllib.loads("[editors]\n" + line)["editors"]
    assert list(editors) == ["王 五"] and verify_password(editors["王 五"], "a good password")
    short = subprocess.run([sys.executable, "-m", "model", "users", "add", "x", "--password-stdin"], cwd=REPO,
                           capture_output=True, text=True, timeout=60, input="short\n")
    assert short.returncode == 2 and "between 8" in short.stderr and "Traceback" not in short.stderr


def test_accounts_from_the_secrets_file(tmp_path, hashes):
    p = tmp_path / "secrets.toml"
    p.write_text('read_only = false\n[editors]\n"张三" = "' + hashes["张三"] + '"\n[auth]\nmax_failures = 4\n'
                 "lockout_minutes = 1\n", encoding="utf-8")
    a = Auth.from_secrets([p])
    assert a.accounts and a.max_failures == 4 and a.lockout_s == 60 and a.default_actor().role == VIEWER
    assert not Auth.from_secrets([tmp_path / "missing.toml"]).accounts


def test_an_identity_provider_listed_editor_gets_a_session_others_stay_viewers(seeded, tmp_path):
    from model.io.auth import Auth

    p = tmp_path / "secrets.toml"
    p.write_text('[oidc]\neditors = ["Li.Ming@office.cn"]\n', encoding="utf-8")
    auth = Auth.from_secrets([p])
    assert auth.accounts and not auth.editors
    with Library(seeded, auth=auth) as lib:
        assert not lib.can_write
        assert not lib.sign_in_verified("someone@else.cn").is_editor
        actor = lib.sign_in_verified("li.ming@office.cn")  # the provider's address, any case
        assert actor.is_editor and actor.token and lib.can_write
        lib.save("经统一身份登录保存", scen())
        assert lib.log(name="经统一身份登录保存")[0].actor == "li.ming@office.cn"
    with Library(seeded, Actor("li.ming@office.cn", EDITOR), auth=auth) as forged:
        assert not forged.can_write  # an editor role without the provider's session is refused
