"""The ledger tests' attacker: someone with write access to the SQLite file.

The attacker works on the file with ``sqlite3`` directly, as someone with write access to
the database would, and re-seals what it rewrites with the library's own ``seal`` so that
the chain and the row stay consistent: exactly what only a published anchor catches.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pendulum

from planning_core.bureau import Bureau
from planning_core.cases import Accept
from planning_core.cases._history import GENESIS, seal

PERMIT = "RURAL_CONSTRUCTION"
ZONE = "Asia/Shanghai"


class Attacker:
    """Writes to the SQLite file behind the library's back."""

    def __init__(self, db: Path) -> None:
        self.db = db

    def _conn(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db)
        conn.execute("PRAGMA foreign_keys = OFF")
        return conn

    def events(self, case_id: str) -> list[dict[str, Any]]:
        with self._conn() as conn:
            rows = conn.execute(
                "SELECT doc FROM events WHERE case_id = ? ORDER BY seq", (case_id,)
            ).fetchall()
        return [json.loads(doc) for (doc,) in rows]

    def rewrite(self, case_id: str, keep: int | None = None) -> str:
        """Re-seal the whole chain with other content (every actor changed, and the project
        renamed), keeping the first ``keep`` events (all by default), and set the row's
        ``last_seq`` and head to match, and delete the case's snapshot (which would disagree
        with the new chain; without one the library folds the history): the chain and the row
        verify. Returns the new head."""
        events = self.events(case_id)[:keep]
        prev = GENESIS
        conn = self._conn()
        conn.execute("DELETE FROM events WHERE case_id = ?", (case_id,))
        conn.execute("DELETE FROM snapshots WHERE case_id = ?", (case_id,))
        for doc in events:
            body = {k: v for k, v in doc.items() if k not in ("hash", "prev_hash")}
            body["actor"] = "forger"
            if "project" in body.get("data", {}):
                body["data"] = {**body["data"], "project": "伪造的项目"}
            sealed = seal(body, prev)
            prev = sealed["hash"]
            conn.execute(
                "INSERT INTO events (case_id, seq, doc) VALUES (?, ?, ?)",
                (case_id, body["seq"], sealed.text),
            )
        (doc,) = conn.execute("SELECT doc FROM cases WHERE case_id = ?", (case_id,)).fetchone()
        row = json.loads(doc)
        row["head_hash"] = prev
        conn.execute(
            "UPDATE cases SET doc = ?, last_seq = ? WHERE case_id = ?",
            (json.dumps(row, ensure_ascii=False), len(events), case_id),
        )
        conn.commit()
        conn.close()
        return prev

    def drop(self, case_id: str) -> None:
        """Delete the case entirely: events, work items, snapshot, row."""
        with self._conn() as conn:
            for table in ("events", "work_items", "snapshots", "cases"):
                conn.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))

    def sql(self, statement: str, *params: Any) -> None:
        with self._conn() as conn:
            conn.execute(statement, params)


def accept(bureau: Bureau, case_id: str, at: pendulum.DateTime) -> None:
    bureau.engine.execute(Accept(case_id), bureau.actor_for(Accept(case_id)), at)
