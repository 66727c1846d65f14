"""The outbox: one send per key and target, retries, restarts, crash mid-send, the lock."""

import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from watch_fixtures import PATIENT_TARGET, Receiver

from govpub.errors import ConfigError, GovpubError
from govpub.watch.alerts import Outbox, apprise_sender
from govpub.watch.store import Store, WatcherLock

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "state.sqlite3")
    yield s
    s.close()


def test_same_key_twice_is_sent_once_even_across_restarts(tmp_path):
    with Receiver() as receiver:
        target = f"json://127.0.0.1:{receiver.port}/duty?{PATIENT_TARGET}"
        first = Store(tmp_path / "s.sqlite3")
        outbox = Outbox(first)
        assert outbox.enqueue("comment:7:due", "Reply due", "body", [target], NOW)
        assert not outbox.enqueue("comment:7:due", "Reply due (again)", "body", [target], NOW)
        assert [ok for _, ok, _ in outbox.deliver(NOW)] == [True]
        first.close()
        second = Store(tmp_path / "s.sqlite3")  # a restart
        again = Outbox(second)
        assert not again.enqueue("comment:7:due", "Reply due", "body", [target], NOW)
        assert again.deliver(NOW + timedelta(hours=1)) == []
        second.close()
        assert receiver.titles() == ["Reply due"]


def test_failed_target_is_retried_later_and_others_are_not_resent(store):
    with Receiver() as receiver:
        good = f"json://127.0.0.1:{receiver.port}/leader?{PATIENT_TARGET}"
        flaky = f"json://127.0.0.1:{receiver.port}/duty?{PATIENT_TARGET}"
        outbox = Outbox(store, max_attempts=3, retry=timedelta(minutes=5))
        outbox.enqueue("k", "T", "B", [flaky, good], NOW)
        receiver.fail_next = 1  # the first POST (to /duty) fails
        [(_key, ok, error)] = outbox.deliver(NOW)
        assert not ok and "json://127.0.0.1" in error
        assert receiver.titles("/leader") == ["T"] and receiver.titles("/duty") == []
        assert outbox.deliver(NOW + timedelta(minutes=4)) == []  # not yet due again
        [(_, ok, _)] = outbox.deliver(NOW + timedelta(minutes=5))
        assert ok
        assert receiver.titles("/leader") == ["T"] and receiver.titles("/duty") == ["T"]


def test_gives_up_after_max_attempts(store):
    outbox = Outbox(store, max_attempts=2, retry=timedelta(minutes=1))
    outbox.enqueue("k", "T", "B", ["json://127.0.0.1:1/nobody"], NOW)
    assert not outbox.deliver(NOW)[0][1]
    assert not outbox.deliver(NOW + timedelta(minutes=1))[0][1]
    assert outbox.deliver(NOW + timedelta(hours=1)) == []
    row = outbox.rows()[0]
    assert row["failed_at"] and row["attempts"] == 2


def test_a_crash_during_the_send_resends_marked_uncertain(tmp_path):
    state = tmp_path / "s.sqlite3"
    with Receiver() as receiver:
        target = f"json://127.0.0.1:{receiver.port}/duty?{PATIENT_TARGET}"
        outbox = Outbox(Store(state))
        outbox.enqueue("k", "Deadline", "B", [target], NOW)
        # a child process that dies (os._exit) right after the target accepted the alert
        code = (
            "import os, sys\n"
            "from datetime import datetime\n"
            "from govpub.watch.store import Store\n"
            "from govpub.watch.alerts import Outbox, apprise_sender\n"
            "def send(t, title, body):\n"
            "    apprise_sender(t, title, body); os._exit(9)\n"
            f"Outbox(Store({str(state)!r}), send).deliver(datetime.fromisoformat({NOW.isoformat()!r}))\n")
        assert subprocess.run([sys.executable, "-c", code]).returncode == 9
        assert receiver.titles() == ["Deadline"]
        restarted = Outbox(Store(state))
        [(_, ok, _)] = restarted.deliver(NOW)
        assert ok
        assert receiver.titles() == ["Deadline", "(repeat: delivery uncertain) Deadline"]
        assert restarted.deliver(NOW + timedelta(hours=2)) == []


def test_a_sender_that_raises_does_not_stop_the_others(store):
    def sender(target, title, body):
        if "bad" in target:
            raise RuntimeError("plugin broke")
        return None
    outbox = Outbox(store, sender)
    outbox.enqueue("a", "A", "", ["json://bad/"], NOW)
    outbox.enqueue("b", "B", "", ["json://good/"], NOW)
    results = {key: ok for key, ok, _ in outbox.deliver(NOW)}
    assert results == {"a": False, "b": True}


def test_invalid_target_fails_clearly():
    assert "not a valid apprise URL" in apprise_sender("nonsense", "t", "b")


def test_two_watchers_cannot_hold_the_lock(tmp_path):
    first = WatcherLock(tmp_path / "s.sqlite3")
    first.acquire()
    try:
        with pytest.raises(GovpubError, match="another watcher is running"):
            WatcherLock(tmp_path / "s.sqlite3").acquire(wait_seconds=0.2)
    finally:
        first.release()
    with WatcherLock(tmp_path / "s.sqlite3"):
        pass


def test_lock_is_released_when_the_holder_is_killed(tmp_path):
    code = ("import time; from govpub.watch.store import WatcherLock\n"
            f"lock = WatcherLock({str(tmp_path / 's.sqlite3')!r}); lock.acquire()\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "held"
    with pytest.raises(GovpubError):
        WatcherLock(tmp_path / "s.sqlite3").acquire(wait_seconds=0.2)
    child.kill()
    child.wait()
    WatcherLock(tmp_path / "s.sqlite3").acquire(wait_seconds=2)


def test_corrupt_or_newer_state_is_refused_without_damage(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError, match="not a usable SQLite"):
        Store(junk)
    assert junk.read_bytes() == b"this is not sqlite" * 100
    newer = Store(tmp_path / "new.sqlite3")
    newer.db.execute("PRAGMA user_version=99")
    newer.close()
    with pytest.raises(ConfigError, match="newer"):
        Store(tmp_path / "new.sqlite3")
