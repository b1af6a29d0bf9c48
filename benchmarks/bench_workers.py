"""Engine transitions per second with 1, 4 and 8 worker processes, PostgreSQL and SQLite.

Each worker is a spawned process with its own engine and its own store (on PostgreSQL its
own connection pool), as an application server would be. Two workloads, both measured on
PostgreSQL and on SQLite (WAL, ``synchronous=FULL``) in the same run:

* **own cases**: each worker takes cases of its own from the window to delivery
  (11 commands: submit, accept, window, review, two countersign branches, a division
  meeting, the leader, the decision, the certificate, delivery), so workers never touch one
  another's cases; what they share is the database and the gap-free number sequences
  (case numbers and certificate numbers, one counter row each);
* **shared cases**: every worker advances the same accepted cases, one step at a time, each
  in its own order, so they race for the same rows; a stale writer gets ``ConflictError``
  and moves on, and a step another worker has just done is skipped.

All workers start together (a barrier that the main process joins) and stop at the same
deadline; a transition is one successful ``Engine.execute``. Each configuration runs
``--repeat`` times, interleaved with the others so that a burst of load elsewhere on the
machine hits them alike, and the median is reported. Besides transitions per second and the
ratios of 4 and 8 workers to 1, it prints what explains them: the median single-row commit
time of each database (the disk's fsync, which a lone worker waits for and several workers
share), the workers' own CPU time per transition, how busy the machine's CPUs were, and,
before and after the runs, how many times one CPU's work all the CPUs do together on a busy
loop (on a virtual machine often less than their number): the ceiling of any CPU-bound
speed-up here.

Run (needs ``pip install -e plugins/planning-core-postgres`` and a PostgreSQL server; the
server is ``PLANNING_CORE_TEST_POSTGRES``, default ``postgresql://postgres@127.0.0.1:5432/test``,
or ``--url``; SQLite files go to a scratch directory under the current one):

    .venv/bin/python benchmarks/bench_workers.py [--seconds 6] [--repeat 3] [--workers 1 4 8]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pendulum
import planning_core_postgres
import psycopg
from planning_core_postgres._url import parse_url
from psycopg import sql

from planning_core import ConflictError, InvalidStateError
from planning_core.cases import (
    Accept,
    CaseStatus,
    Command,
    Complete,
    Decide,
    Deliver,
    IssueCertificate,
    Outcome,
    RecordMeetingDecision,
    Submit,
)
from planning_core.plugins import make_hooks
from planning_core.testing import SAMPLE_CHECKLIST, Bureau, make_bureau, sample_permit_type
from planning_core.workflow import Actor

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
#: Every command of the benchmark happens at this instant: commands on one case must come in
#: time order, and one instant keeps every worker's commands in order on every case.
AT = pendulum.datetime(2026, 3, 2, 10, tz="Asia/Shanghai")
WORKLOADS = ("own cases", "shared cases")
BACKENDS = ("PostgreSQL", "SQLite")
MATERIALS = ("application", "site_plan")

Key = tuple[str, str, int]  # workload, backend, workers
Figures = dict[str, float]


# -- one worker ------------------------------------------------------------------------------


def open_bureau(url: str) -> Bureau:
    """A bureau on ``url`` with the sample permit type; the PostgreSQL plugin registered."""
    hooks = make_hooks(entry_points=False)
    hooks.register(planning_core_postgres)
    return make_bureau(url, hooks=hooks, permit_types=[sample_permit_type()])


def next_command(bureau: Bureau, case_id: str) -> tuple[Command, Actor] | None:
    """The command that takes the case one step towards delivery, and who gives it."""
    state = bureau.engine.load(case_id)
    status = state.status
    command: Command
    if state.seq == 0:
        command = Submit(case_id, "TEST", "唐山市某置业有限公司", "某小区住宅楼", MATERIALS)
    elif status is CaseStatus.RECEIVED:
        command = Accept(case_id)
    elif status is CaseStatus.IN_REVIEW:
        token = state.tokens[0]
        assert token.post is not None
        if token.step_id == "meeting":
            attendees = ("李华", "王建国", "赵磊")
            command = RecordMeetingDecision(case_id, "meeting", AT.date(), attendees, "同意")
        else:
            checklist = SAMPLE_CHECKLIST if token.step_id == "review" else ()
            action = "FORWARD" if token.step_id == "window" else "APPROVE"
            command = Complete(case_id, token.step_id, action, "同意", checklist)
        return command, bureau.actor(token.post)
    elif status is CaseStatus.AWAITING_DECISION:
        authority = bureau.engine.authority_of_post(state.last_decider_post)
        return Decide(case_id, Outcome.APPROVED), bureau.actor_with(authority)
    elif status is CaseStatus.APPROVED:
        command = IssueCertificate(case_id)
    elif status is CaseStatus.ISSUED:
        command = Deliver(case_id)
    else:
        return None
    return command, bureau.actor_for(command)  # the window or the certificate clerk


def step(bureau: Bureau, case_id: str, tally: dict[str, int]) -> bool:
    """Try the case's next command once; False when the case has nothing left to do."""
    found = next_command(bureau, case_id)
    if found is None:
        return False
    command, actor = found
    try:
        bureau.engine.execute(command, actor, AT)
    except ConflictError:
        tally["conflicts"] += 1
    except InvalidStateError:
        tally["stale"] += 1  # another worker did this step just before
    else:
        tally["transitions"] += 1
    return True


def own_cases(bureau: Bureau, worker: int, deadline: float, tally: dict[str, int]) -> None:
    """Take new cases of this worker's own through to delivery until the deadline."""
    n = 0
    while True:
        n += 1
        while step(bureau, f"w{worker}-{n}", tally):
            if time.perf_counter() >= deadline:
                return


def shared_cases(bureau: Bureau, worker: int, deadline: float, tally: dict[str, int]) -> None:
    """Advance the shared cases one step at a time, each worker in its own random order."""
    order = [row.case_id for row in bureau.store.cases()]
    random.Random(worker).shuffle(order)
    while True:
        busy = False
        for case_id in order:
            busy = step(bureau, case_id, tally) or busy
            if time.perf_counter() >= deadline:
                return
        if not busy:
            return  # every shared case delivered: prepare more of them


def run_worker(
    url: str, workload: str, worker: int, seconds: float, barrier: Barrier, results: Any
) -> None:
    """One application server: open, wait for the others, work until the deadline."""
    bureau = open_bureau(url)
    run = own_cases if workload == WORKLOADS[0] else shared_cases
    bureau.engine.load("warm-up")  # the first query pays for imports and the pool's start
    tally = {"transitions": 0, "conflicts": 0, "stale": 0}
    barrier.wait()
    start, cpu = time.perf_counter(), time.process_time()
    run(bureau, worker, start + seconds, tally)
    end, cpu = time.perf_counter(), time.process_time() - cpu
    results.put({**tally, "start": start, "end": end, "cpu": cpu})
    barrier.wait()  # keep the connections open until the server's CPU time has been read
    bureau.close()


# -- one run -----------------------------------------------------------------------------------


def measure(url: str, workload: str, workers: int, seconds: float) -> Figures:
    """Run ``workers`` processes on ``url`` at once: summed counts, wall time, CPU use."""
    server = ServerCpu(url)
    url = server.url
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers + 1)  # this process too: it reads the CPU counters
    results = context.Queue()
    processes = [
        context.Process(target=run_worker, args=(url, workload, worker, seconds, barrier, results))
        for worker in range(workers)
    ]
    for process in processes:
        process.start()
    barrier.wait()
    before, server_before = machine_cpu(), server.seconds()
    figures = [results.get(timeout=seconds + 300) for _ in processes]
    after, server_after = machine_cpu(), server.seconds()
    barrier.wait()
    for process in processes:
        process.join()
    wall = max(f["end"] for f in figures) - min(f["start"] for f in figures)
    summed = {key: sum(f[key] for f in figures) for key in ("transitions", "conflicts", "stale")}
    total, done = after[1] - before[1], max(summed["transitions"], 1)
    return {
        **summed,
        "rate": summed["transitions"] / wall,
        "client_ms": 1000 * sum(f["cpu"] for f in figures) / done,
        "server_ms": 1000 * (server_after - server_before) / done,
        "busy": (after[0] - before[0]) / total if total else float("nan"),
    }


class ServerCpu:
    """The CPU time PostgreSQL spends on one run's connections (nothing for SQLite).

    The workers' connections carry an ``application_name`` of the run's own; their server
    processes are found in ``pg_stat_activity`` and their CPU time read from ``/proc``
    (the server runs on this machine, as in the project's test setup; elsewhere: zero).
    """

    def __init__(self, url: str) -> None:
        self.name = f"bench_workers_{uuid.uuid4().hex[:8]}"
        self.postgres = not url.startswith("sqlite")
        self.url = f"{url}&application_name={self.name}" if self.postgres else url

    def seconds(self) -> float:
        if not self.postgres:
            return 0.0
        settings = parse_url(self.url)
        with psycopg.connect(settings.conninfo, autocommit=True) as conn:
            pids = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s", (self.name,)
            ).fetchall()
        return sum(_process_seconds(pid) for (pid,) in pids)


def _process_seconds(pid: int) -> float:
    """User plus system CPU seconds of process ``pid`` (0 when /proc cannot tell)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """The machine's CPU time since boot as (busy, total) jiffies; zeros off Linux.

    Busy over total during a run tells whether it was short of CPU: near 100 % the workers,
    the database server (and whatever else runs on the machine) had every core.
    """
    try:
        first = Path("/proc/stat").read_text().splitlines()[0]
    except OSError:
        return 0.0, 0.0
    fields = [float(x) for x in first.split()[1:]]
    return sum(fields) - fields[3] - fields[4], sum(fields)  # minus idle and iowait


def _spin(seconds: float) -> int:
    """Count loop turns for ``seconds``: pure CPU work, the probe's unit."""
    turns, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        turns += 1
    return turns


def cpu_scaling(seconds: float = 1.0) -> float:
    """How many times one CPU's work all the CPUs do together, busy with pure CPU work.

    On a virtual machine two busy CPUs need not do twice the work of one (they may share a
    physical core, or the host may be busy); this is the ceiling of any CPU-bound speed-up
    on this machine, measured in the same run as the workers.
    """
    cpus = os.cpu_count() or 1
    context = multiprocessing.get_context("spawn")
    ratios = []
    with context.Pool(cpus) as pool:
        pool.map(_spin, [0.2] * cpus)  # start every process before measuring
        for _ in range(3):  # alternated, so a burst elsewhere hits both alike; the median
            one = pool.apply(_spin, (seconds,))
            together = sum(pool.map(_spin, [seconds] * cpus, chunksize=1))
            ratios.append(together / one)
    return statistics.median(ratios)


def prepare_shared(url: str, cases: int) -> None:
    """Receive and accept ``cases`` cases for the shared workload (one transaction each)."""
    bureau = open_bureau(url)
    clerk = bureau.actor("WINDOW_CLERK")
    for n in range(cases):
        case_id = f"shared-{n:05d}"
        submit = Submit(case_id, "TEST", "唐山市某置业有限公司", "某小区住宅楼", MATERIALS)
        bureau.engine.execute_all([submit, Accept(case_id)], clerk, AT)
    bureau.close()


# -- scratch databases ---------------------------------------------------------------------------


@contextmanager
def postgres_schema(server: str) -> Iterator[str]:
    """A store URL on a fresh scratch schema, dropped afterwards."""
    schema = f"pc_bench_{uuid.uuid4().hex[:12]}"
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}schema={schema}"
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@contextmanager
def sqlite_file() -> Iterator[str]:
    """A store URL on a fresh SQLite file (WAL, synchronous=FULL: the store's default)."""
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        yield f"sqlite:///{Path(tmp) / 'bench.db'}?synchronous=FULL"


def scratch(backend: str, server: str) -> AbstractContextManager[str]:
    return postgres_schema(server) if backend == "PostgreSQL" else sqlite_file()


def commit_ms(backend: str, server: str, n: int = 300) -> float:
    """Median milliseconds of a one-row commit: the disk's fsync as each database does it."""
    with scratch(backend, server) as url:
        if backend == "SQLite":
            lite = sqlite3.connect(url.removeprefix("sqlite:///").split("?")[0])
            lite.isolation_level = None
            lite.execute("PRAGMA journal_mode = WAL")
            lite.execute("PRAGMA synchronous = FULL")
            run: Callable[[str], object] = lite.execute
        else:
            settings = parse_url(url)
            pg = psycopg.connect(settings.conninfo, autocommit=True)
            run = pg.execute
        schema = "" if backend == "SQLite" else f"{parse_url(url).schema}."
        if schema:
            run(f"CREATE SCHEMA {schema[:-1]}")
        run(f"CREATE TABLE {schema}probe (n integer)")
        times = []
        for k in range(n):
            start = time.perf_counter()
            run("BEGIN")
            run(f"INSERT INTO {schema}probe VALUES ({k})")
            run("COMMIT")
            times.append(time.perf_counter() - start)
        (lite if backend == "SQLite" else pg).close()
    return 1000 * statistics.median(times)


# -- the whole run -------------------------------------------------------------------------------


def run_all(args: argparse.Namespace) -> dict[Key, list[Figures]]:
    found: dict[Key, list[Figures]] = {}
    for round_ in range(1, args.repeat + 1):
        for workload in args.workloads:
            for workers in args.workers:
                for backend in BACKENDS:
                    with scratch(backend, args.url) as url:
                        open_bureau(url).close()  # create the schema before the workers race
                        if workload == WORKLOADS[1]:
                            prepare_shared(url, args.shared)
                        figures = measure(url, workload, workers, args.seconds)
                    found.setdefault((workload, backend, workers), []).append(figures)
                    print(
                        f"  run {round_}: {workload:<13}{backend:<11}{workers:>2} worker(s): "
                        f"{figures['rate']:6,.0f}/s, {figures['conflicts']:,.0f} conflicts, "
                        f"CPU {figures['busy']:.0%} busy",
                        flush=True,
                    )
    return found


def median(runs: list[Figures], key: str) -> float:
    return statistics.median(f[key] for f in runs)


def report(found: dict[Key, list[Figures]], args: argparse.Namespace, scaling: list[float]) -> None:
    print()
    print(f"transitions per second (median of {args.repeat} runs of {args.seconds:g} s)")
    print(f"{'workload':<14}{'backend':<12}" + "".join(f"{w:>7} w" for w in args.workers))
    for workload in args.workloads:
        for backend in BACKENDS:
            cells = "".join(
                f"{median(found[(workload, backend, w)], 'rate'):>9,.0f}" for w in args.workers
            )
            print(f"{workload:<14}{backend:<12}{cells}")
    print()
    print("ratio to 1 worker; CPU ms per transition in the workers + in PostgreSQL; CPUs busy")
    base = args.workers[0]
    for workload in args.workloads:
        for backend in BACKENDS:
            single = median(found[(workload, backend, base)], "rate")
            row: list[str] = []
            for w in args.workers:
                runs = found[(workload, backend, w)]
                ratio = median(runs, "rate") / single
                cpu, busy = median(runs, "client_ms"), median(runs, "busy")
                server = median(runs, "server_ms")
                row.append(f"{w}: {ratio:.2f}x {cpu:.2f}+{server:.2f} ms {busy:.0%}")
            print(f"{workload:<14}{backend:<12}" + " | ".join(row))
    key_1, key_4 = (WORKLOADS[0], BACKENDS[0], 1), (WORKLOADS[0], BACKENDS[0], 4)
    if key_1 in found and key_4 in found:
        ratio = median(found[key_4], "rate") / median(found[key_1], "rate")
        verdict = "reaches" if ratio >= 2 else "does NOT reach"
        print(f"PostgreSQL, own cases: 4 workers / 1 worker = {ratio:.2f}x, {verdict} 2x")
        alone = found[key_1]
        cpu_ms = median(alone, "client_ms") + median(alone, "server_ms")
        cores = cpu_ms / 1000 * median(alone, "rate")
        together = statistics.median(scaling)
        ceiling = min(4.0, together / cores)
        print(
            f"  one worker keeps {cores:.2f} CPUs busy ({cpu_ms:.2f} ms of CPU per transition, "
            f"its own and PostgreSQL's); the {os.cpu_count()} CPUs together did "
            f"{' and '.join(f'{x:.2f}' for x in scaling)} times one CPU's work (busy-loop "
            f"probe before and after): 4 workers can reach at most {ceiling:.2f}x, and less "
            f"while other programs use the CPUs"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="measured time per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--shared", type=int, default=300, help="cases in the shared workload")
    parser.add_argument("--workloads", nargs="+", choices=WORKLOADS, default=list(WORKLOADS))
    parser.add_argument("--url", default=os.environ.get("PLANNING_CORE_TEST_POSTGRES", DEFAULT_URL))
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPU(s), load average {load}; every worker a spawned process")
    commits = {backend: commit_ms(backend, args.url) for backend in BACKENDS}
    print("one-row commit, median: " + ", ".join(f"{b} {ms:.2f} ms" for b, ms in commits.items()))
    scaling = [cpu_scaling()]
    found = run_all(args)
    scaling.append(cpu_scaling())
    report(found, args, scaling)


if __name__ == "__main__":
    main()
