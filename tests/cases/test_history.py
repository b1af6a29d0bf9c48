from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from planning_core.cases._history import GENESIS, seal, verify_chain


def _chain(n: int) -> list[tuple[int, dict[str, object]]]:
    prev = GENESIS
    docs = []
    for seq in range(1, n + 1):
        doc = seal({"seq": seq, "type": "StepCompleted", "data": {"意见": f"同意{seq}"}}, prev)
        prev = str(doc["hash"])
        docs.append((seq, doc))
    return docs


def test_an_intact_history_verifies() -> None:
    report = verify_chain("c", _chain(5))
    assert report.ok and report.events == 5 and not report.problems
    assert report.head == _chain(5)[-1][1]["hash"]


def test_an_altered_event_is_named() -> None:
    docs = _chain(5)
    altered = copy.deepcopy(docs)
    altered[2][1]["data"] = {"意见": "不同意"}
    report = verify_chain("c", altered)
    assert not report.ok
    assert report.problems == ("event 3: its content was altered after it was recorded",)


def test_a_removed_event_is_named() -> None:
    docs = _chain(5)
    del docs[1]
    report = verify_chain("c", docs)
    assert not report.ok
    assert any(p.startswith("event 2: missing") for p in report.problems)


def test_a_removed_and_renumbered_event_is_caught() -> None:
    docs = _chain(5)
    del docs[1]
    renumbered = [(i, {**doc, "seq": i}) for i, (_, doc) in enumerate(docs, start=1)]
    report = verify_chain("c", renumbered)
    assert not report.ok
    assert any(p.startswith("event 2:") for p in report.problems)


def test_an_inserted_event_is_named() -> None:
    docs = _chain(4)
    forged = seal({"seq": 3, "type": "CaseDecided", "data": {}}, str(docs[1][1]["hash"]))
    tampered = [*docs[:2], (3, forged), *[(s + 1, d) for s, d in docs[2:]]]
    report = verify_chain("c", tampered)
    assert not report.ok
    assert any(p.startswith("event 4: does not follow") for p in report.problems)


def test_reordered_events_are_named() -> None:
    docs = _chain(4)
    swapped = [docs[0], (2, docs[2][1]), (3, docs[1][1]), docs[3]]
    report = verify_chain("c", swapped)
    assert not report.ok
    assert any(p.startswith("event 2:") for p in report.problems)


@given(st.integers(min_value=1, max_value=8), st.data())
def test_any_single_change_of_any_field_is_detected(n: int, data: st.DataObject) -> None:
    docs = _chain(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    key = data.draw(st.sampled_from(["seq", "type", "data", "prev_hash", "hash"]))
    doc = dict(docs[i][1])
    doc[key] = data.draw(st.text(min_size=1).filter(lambda v, old=doc[key]: v != old))
    docs[i] = (docs[i][0], doc)
    assert not verify_chain("c", docs).ok
