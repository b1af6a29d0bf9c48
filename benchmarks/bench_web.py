"""The web door under load: concurrent clients against ``planning-core serve`` on SQLite.

Run: ``.venv/bin/python benchmarks/bench_web.py [--clients 8] [--seconds 10] [--cases 300]``

Prepares a SQLite store with the library (``--cases`` applications received at the window,
a system token for the window clerk), starts ``planning-core serve`` on a free loopback port
(its clock started just after the intakes), and runs ``--clients`` threads for ``--seconds``
(both bounded: at most 32 clients, 120 seconds), each mixing, in turn:

* ``status``: the public progress query (``POST /api/v1/status``, one scrypt check per
  query by design: the throttle and equal-work rules cost what they cost);
* ``inbox``: the window clerk's inbox (``GET /api/v1/inbox``);
* ``complete``: completing the ``accept`` step of the next case (``POST
  /api/v1/cases/{number}/actions``).

Prints requests per second and p50/p99 latency per kind (nothing is asserted on timings),
then stops the server and checks, on the store, that every completion the server
acknowledged is in the case's history, recorded by the clerk, and that the history verifies
(hash chain and head): nothing acknowledged is lost. Exits 1 if anything is.
"""

from __future__ import annotations

import argparse
import itertools
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pendulum

from planning_core.bureau import installed_plugins, open_bureau
from planning_core.web import StaffCredentials
from planning_core.window import Application

EXE = Path(sys.executable).parent / "planning-core"
ZONE = "Asia/Shanghai"


def prepare(url: str, cases: int) -> tuple[list[tuple[str, str]], str]:
    """Receive ``cases`` applications; returns (number, password) pairs and a clerk token."""
    with open_bureau(store=url, hooks=installed_plugins()) as bureau:
        permit = bureau.engine.permit_type("CONSTRUCTION")
        materials = tuple(m.code for m in permit.required_materials)
        clerk = bureau.actor(bureau.settings.window_post)
        at = pendulum.datetime(2026, 11, 26, 8, 0, tz=ZONE)
        receipts = []
        for i in range(cases):
            receipt = bureau.window.intake(
                Application("CONSTRUCTION", f"申请人{i}", f"项目{i}", materials),
                clerk,
                at.add(seconds=i),
            )
            receipts.append((receipt.case_number, receipt.password))
        token = StaffCredentials(bureau.store, bureau.organisation).issue_token("bench", clerk.id)
    return receipts, token


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--cases", type=int, default=300)
    args = parser.parse_args()
    clients = max(1, min(args.clients, 32))
    seconds = max(1.0, min(args.seconds, 120.0))

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        receipts, token = prepare(url, args.cases)
        print(f"prepared {len(receipts)} cases in {time.perf_counter() - started:.1f} s")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        server = subprocess.Popen(
            [
                EXE,
                "serve",
                "--store",
                url,
                "--port",
                str(port),
                "--clock-start",
                "2026-11-26T10:00:00+08:00",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    httpx.get(f"{base}/api/v1/permits", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            latencies: dict[str, list[float]] = {"status": [], "inbox": [], "complete": []}
            errors: dict[str, int] = {"status": 0, "inbox": 0, "complete": 0}
            acknowledged: list[str] = []
            lock = threading.Lock()
            to_complete = iter(receipts)
            headers = {"Authorization": f"Bearer {token}"}
            stop = time.monotonic() + seconds

            def client(n: int) -> None:
                with httpx.Client(base_url=base, timeout=30) as http:
                    for i in itertools.count(n):
                        if time.monotonic() >= stop:
                            return
                        kind = ("status", "inbox", "complete")[i % 3]
                        number, password = receipts[i % len(receipts)]
                        t = time.perf_counter()
                        if kind == "status":
                            r = http.post(
                                "/api/v1/status",
                                json={"case_number": number, "password": password},
                            )
                        elif kind == "inbox":
                            r = http.get("/api/v1/inbox", headers=headers)
                        else:
                            with lock:
                                nxt = next(to_complete, None)
                            if nxt is None:
                                continue
                            number = nxt[0]
                            r = http.post(
                                f"/api/v1/cases/{number}/actions",
                                headers=headers,
                                json={"kind": "complete", "step_id": "accept", "action": "APPROVE"},
                            )
                        elapsed = time.perf_counter() - t
                        with lock:
                            latencies[kind].append(elapsed)
                            if r.status_code != 200:
                                errors[kind] += 1
                            elif kind == "complete":
                                acknowledged.append(number)

            threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
            began = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(timeout=10)

        print(f"{clients} clients for {wall:.1f} s on SQLite (loopback, one server process)")
        print(f"{'kind':<10}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
        for kind, values in latencies.items():
            if not values:
                continue
            ordered = sorted(values)
            p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
            print(
                f"{kind:<10}{len(values):>9}{errors[kind]:>8}{len(values) / wall:>9.1f}"
                f"{statistics.median(values) * 1000:>9.1f}{p99 * 1000:>9.1f}"
            )
        total = sum(len(v) for v in latencies.values())
        print(f"{'all':<10}{total:>9}{sum(errors.values()):>8}{total / wall:>9.1f}")

        lost = 0
        with open_bureau(store=url, hooks=installed_plugins(), create=False) as bureau:
            clerk = bureau.actor(bureau.settings.window_post)
            for number in acknowledged:
                row = bureau.engine.find(number)
                report = bureau.engine.verify_history(row.case_id)
                done = [
                    h
                    for h in bureau.engine.history(row.case_id)
                    if type(h.event).__name__ == "StepCompleted"
                    and getattr(h.event, "step_id", "") == "accept"
                    and h.actor == clerk.id
                ]
                if not report.ok or len(done) != 1:
                    lost += 1
        print(
            f"acknowledged completions: {len(acknowledged)}; in a verified history: "
            f"{len(acknowledged) - lost}; lost: {lost}"
        )
        return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
