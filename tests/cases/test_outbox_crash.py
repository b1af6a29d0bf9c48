"""A deliverer killed (SIGKILL) at any point loses no notification: what it did not mark
sent is delivered by the next run, under the same key (at least once)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from _support.engine import WINDOW, at, make_engine

from planning_core import hookimpl
from planning_core.cases import OUTBOX, OUTBOX_SENT, ApplicantNotice, Submit
from planning_core.plugins import make_hooks

TESTS = Path(__file__).resolve().parents[1]

_CHILD = """
import sys, time
from _support.engine import make_engine
from planning_core import hookimpl
from planning_core.plugins import make_hooks

class Slow:
    @hookimpl
    def planning_core_notify_applicant(self, notice):
        with open(sys.argv[2], "a", encoding="utf-8") as log:
            log.write(notice.key + "\\n")
        time.sleep(0.05)

hooks = make_hooks(entry_points=False)
hooks.register(Slow(), name="slow-sms")
engine = make_engine(sys.argv[1], hooks=hooks)
engine.deliver_notifications("2026-03-03T09:00:00+08:00")
"""


class _Log:
    def __init__(self) -> None:
        self.keys: list[str] = []

    @hookimpl
    def planning_core_notify_applicant(self, notice: ApplicantNotice) -> None:
        self.keys.append(notice.key)


def test_a_killed_deliverer_loses_no_notification(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'outbox.db'}"
    hooks = make_hooks(entry_points=False)
    hooks.register(_Log(), name="log")
    engine = make_engine(url, hooks=hooks)
    for i in range(60):
        engine.execute(
            Submit(f"c{i:03d}", "TEST", "某公司", "某项目", ("application",), "13800000000"),
            WINDOW,
            at("2026-03-02 09:00"),
        )
    wanted = {key for key, _ in engine.store.list_records(OUTBOX)}
    assert len(wanted) == 60
    engine.store.close()
    log = tmp_path / "delivered.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), *sys.path])}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, url, str(log)], env=env, stderr=subprocess.PIPE
    )
    stop_after = random.Random(19).randint(5, 40)  # killed mid-run, after a few deliveries
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if log.exists() and len(log.read_text(encoding="utf-8").split()) >= stop_after:
            break
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    child.wait()
    before = set(log.read_text(encoding="utf-8").split()) if log.exists() else set()
    assert 0 < len(before) < len(wanted), "the deliverer was not killed mid-run"
    # a second deliverer, once the dead one's lease has run out, sends the rest
    receiver = _Log()
    hooks = make_hooks(entry_points=False)
    hooks.register(receiver, name="log")
    engine = make_engine(url, hooks=hooks)
    report = engine.deliver_notifications("2026-03-03T10:00:00+08:00")
    assert report.waiting == 0 and not report.failed
    assert before | set(receiver.keys) == wanted  # nothing lost
    assert {key for key, _ in engine.store.list_records(OUTBOX_SENT)} == wanted
    # only what the dead deliverer had not marked sent came again
    sent_by_child = wanted - set(receiver.keys)
    assert sent_by_child <= before
