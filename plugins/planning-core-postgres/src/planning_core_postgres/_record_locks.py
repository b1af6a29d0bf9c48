"""Locks on records, taken whether or not the record exists yet.

``UnitOfWork.get_record`` promises that a record read inside a unit of work stays locked until
it ends, so a read-check-write (an appointment slot's bookings, a lockout counter) is atomic
across application servers. A row lock (``SELECT … FOR UPDATE``) cannot lock a record that
does not exist yet, so two servers could both read "no record" and both write. Records are
therefore locked with transaction-scoped advisory locks on a hash of (schema, collection, key),
which exist before the row does, and every write of a record takes the same lock:

* a read, or a write of a few keys: the collection's lock *shared*, and each key's lock
  exclusive (in hash order, so two batches cannot take them crosswise);
* a write of many keys: the collection's lock exclusive, one lock instead of thousands (the
  server's lock table is small), which waits for every reader and writer of the collection.

A hash collision only makes two unrelated records wait for each other. PostgreSQL breaks a
deadlock (two units of work each holding what the other wants) by failing one of them;
that one gets a :class:`ConflictError` and retries.
"""

from __future__ import annotations

import psycopg
from psycopg import errors
from psycopg.rows import TupleRow

from planning_core.errors import ConflictError

__all__ = ["MANY_KEYS", "lock_records"]

#: From this many keys on, a write locks the whole collection instead of each key.
MANY_KEYS = 64

_COLLECTION = "hashtextextended('planning_core/' || current_schema() || '/' || %(c)s, 0)"
_KEY = "hashtextextended('planning_core/' || current_schema() || '/' || %(c)s || '/' || k, 1)"


def lock_records(conn: psycopg.Connection[TupleRow], collection: str, keys: list[str]) -> None:
    """Lock ``keys`` of ``collection`` until the transaction ends (see the module's text).

    :raises ConflictError: when PostgreSQL broke a deadlock by failing this transaction.
    """
    try:
        if len(keys) >= MANY_KEYS:
            conn.execute(f"SELECT pg_advisory_xact_lock({_COLLECTION})", {"c": collection})
            return
        conn.execute(f"SELECT pg_advisory_xact_lock_shared({_COLLECTION})", {"c": collection})
        conn.execute(
            "SELECT count(pg_advisory_xact_lock(h)) FROM "
            f"(SELECT DISTINCT {_KEY} AS h FROM unnest(%(k)b::text[]) AS k ORDER BY h) AS locks",
            {"c": collection, "k": keys},
        )
    except errors.DeadlockDetected as exc:
        raise ConflictError(
            f"records of {collection} are locked crosswise with another writer "
            f"({exc.diag.message_primary}); open a new unit of work and retry"
        ) from exc
