"""Four application servers on one PostgreSQL schema, driving the same 1,000 cases at once.

Each server is a spawned process with its own engine and its own connection pool (see
``_engine_workers``). One process receives and accepts the cases first; then, in two rounds
(the review an hour after acceptance, the division meeting 13 working days later), every
server takes every case one step further and sweeps the lights while the others do the
same. Pairs of servers visit the cases in the same order, so they reach a case at the same
moment and race for it. Afterwards:

* no lost update: every event a successful command returned is in the case's history, and
  every light change a sweep reported is recorded exactly as often as it was reported;
* one winner per step: each step of the rounds was completed exactly once;
* no duplicate ``LightChanged``: per case and clock, each change starts from the light the
  previous one ended on, so the same crossing is never recorded twice in a row;
* every history verifies, and every stored projection equals a fresh replay.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from planning_core.cases import (
    Accept,
    Engine,
    LightChanged,
    MeetingDecisionRecorded,
    RecordedEvent,
    StepCompleted,
    Submit,
)

SERVERS = 4
CASES = 1000
HERE = Path(__file__).resolve().parent


def _receive_and_accept(url: str, case_ids: list[str]) -> list[tuple[str, int, str]]:
    """Receive and accept every case, one transaction each, in this process."""
    from _engine_workers import RECEIVED, open_bureau

    bureau = open_bureau(url)
    clerk = bureau.actor("WINDOW_CLERK")
    recorded: list[tuple[str, int, str]] = []
    for case_id in case_ids:
        submit = Submit(case_id, "TEST", "唐山市某置业有限公司", "某小区住宅楼", _MATERIALS)
        done = bureau.engine.execute_all([submit, Accept(case_id)], clerk, RECEIVED)
        recorded += [(r.case_id, r.seq, r.hash) for r in done]
    bureau.close()
    return recorded


_MATERIALS = ("application", "site_plan")


def _run_servers(url: str, case_ids: list[str]) -> list[dict[str, Any]]:
    """Start the servers together, wait for their reports, and fail on any server's error."""
    from _engine_workers import serve

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(SERVERS)
    results = context.Queue()
    servers = [
        context.Process(target=serve, args=(url, n, case_ids, barrier, results))
        for n in range(SERVERS)
    ]
    for server in servers:
        server.start()
    try:
        reports = [results.get(timeout=240) for _ in servers]
    except queue.Empty:
        pytest.fail("a server sent no report within 240 s")
    finally:
        for server in servers:
            server.join(30)
            if server.is_alive():
                server.kill()
    errors = [r["error"] for r in reports if r["error"]]
    assert not errors, errors[0]
    return reports


def _check_no_lost_update(
    histories: dict[str, list[RecordedEvent]], returned: Iterable[tuple[str, int, str]]
) -> None:
    stored = {(r.case_id, r.seq): r.hash for events in histories.values() for r in events}
    seen: set[tuple[str, int]] = set()
    for case_id, seq, digest in returned:
        assert (case_id, seq) not in seen, f"{case_id} event {seq} returned to two writers"
        seen.add((case_id, seq))
        assert stored.get((case_id, seq)) == digest, f"{case_id} event {seq} was lost"


def _light_changes(histories: dict[str, list[RecordedEvent]]) -> list[tuple[str, str, str, str]]:
    return [
        (r.case_id, r.event.clock, r.event.old, r.event.new)
        for events in histories.values()
        for r in events
        if isinstance(r.event, LightChanged)
    ]


def _check_no_duplicate_light(changes: list[tuple[str, str, str, str]]) -> None:
    by_clock: defaultdict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for case_id, clock, old, new in changes:
        by_clock[(case_id, clock)].append((old, new))
    for (case_id, clock), crossings in by_clock.items():
        lights = ["green"]
        for old, new in crossings:
            assert old == lights[-1] and new != old, f"{case_id} {clock}: {crossings}"
            lights.append(new)


def _check_steps(histories: dict[str, list[RecordedEvent]]) -> None:
    for case_id, events in histories.items():
        done = sorted(
            r.event.step_id
            for r in events
            if isinstance(r.event, StepCompleted | MeetingDecisionRecorded)
            and r.event.step_id != "joined"  # the join completes once per arriving branch
        )
        assert done == ["land", "legal", "meeting", "review", "window"], (case_id, done)


def _check_every_case(engine: Engine, case_ids: list[str]) -> None:
    for case_id in case_ids:
        assert engine.verify_history(case_id).ok, case_id
        assert engine.check_projection(case_id), case_id
        assert [t.step_id for t in engine.load(case_id).tokens] == ["leader"], case_id


@pytest.mark.slow
def test_four_servers_drive_the_same_cases_and_sweep_at_once(
    postgres_schema_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(HERE))  # the spawned servers import _engine_workers
    from _engine_workers import open_bureau

    url = f"{postgres_schema_url}&pool_max_size=2"
    case_ids = [f"case-{n:04d}" for n in range(CASES)]
    prepared = _receive_and_accept(url, case_ids)
    reports = _run_servers(url, case_ids)

    bureau = open_bureau(url)
    histories = {case_id: bureau.engine.history(case_id) for case_id in case_ids}
    _check_no_lost_update(histories, prepared + [e for r in reports for e in r["events"]])
    changes = _light_changes(histories)
    reported = [tuple(light) for r in reports for light in r["lights"]]
    assert Counter(changes) == Counter(reported)
    _check_no_duplicate_light(changes)
    committed = Counter(case_id for case_id, clock, *_ in changes if clock == "committed")
    assert committed == dict.fromkeys(case_ids, 1)  # yellow, 2 working days before its end
    _check_steps(histories)
    _check_every_case(bureau.engine, case_ids)
    assert sum(r["conflicts"] + r["lost"] for r in reports) > 0, "the servers never raced"
    bureau.close()
