"""Certificates: issued through the window, the register, voiding, numbers never reused."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from _support.engine import CERT, DIVISION_HEAD, REVIEWER, WINDOW
from window._helpers import (
    at,
    complete_application,
    issue_certificates,
    make_window,
    review_to_approval,
    run_together,
)

from planning_core import (
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    hookimpl,
    make_hooks,
)
from planning_core.window import VALID, VOID, Window

T0 = at("2026-03-02 09:00")


def _approved(window: Window, when: str = "2026-03-02 09:00") -> tuple[str, pendulum.DateTime]:
    receipt = window.intake(complete_application(), WINDOW, at(when))
    return receipt.case_number, review_to_approval(window, receipt.case_id, at(when))


def _issue(window: Window, when: str = "2026-03-02 09:00") -> str:
    number, t = _approved(window, when)
    return window.issue_certificate(number, CERT, t.add(hours=1)).number


def test_issuing_registers_the_certificate(window: Window) -> None:
    case_number, t = _approved(window)
    entry = window.issue_certificate(case_number, CERT, t.add(hours=1))
    assert entry.number == "建字第2026-0001号"
    assert entry.status == VALID and entry.status_zh == "有效"
    assert entry.case_number == case_number and entry.applicant == "唐山市某置业有限公司"
    assert window.certificates.entries() == [entry]
    with pytest.raises(InvalidStateError):  # issued once only
        window.issue_certificate(case_number, CERT, t.add(hours=2))


def test_only_the_certificate_post_issues(window: Window) -> None:
    case_number, t = _approved(window)
    with pytest.raises(PermissionDeniedError):
        window.issue_certificate(case_number, REVIEWER, t.add(hours=1))
    assert window.certificates.entries() == []


def test_voiding_keeps_the_record_and_the_number_is_never_reused(window: Window) -> None:
    first, second = _issue(window), _issue(window, "2026-03-03 09:00")
    voided = window.void_certificate(first, "证件遗失，登报声明作废", CERT, at("2026-03-20 09:00"))
    assert voided.status == VOID and voided.voided_by == CERT.id
    assert voided.void_reason == "证件遗失，登报声明作废"
    assert voided.voided_at == at("2026-03-20 09:00")
    third = _issue(window, "2026-03-04 09:00")
    numbers = [e.number for e in window.certificates.entries()]
    assert numbers == [first, second, third] == [f"建字第2026-000{i}号" for i in (1, 2, 3)]
    assert [e.number for e in window.certificates.entries(status=VOID)] == [first]
    assert [e.number for e in window.certificates.entries(status=VALID)] == [second, third]
    assert window.certificates.entries(kind="地字") == []
    assert window.certificates.entries(year=2027) == []


def test_voiding_needs_a_reason_the_post_and_a_valid_certificate(window: Window) -> None:
    number = _issue(window)
    with pytest.raises(ValidationError, match="reason"):
        window.void_certificate(number, "  ", CERT, T0.add(days=30))
    with pytest.raises(PermissionDeniedError):
        window.void_certificate(number, "错误", REVIEWER, T0.add(days=30))
    with pytest.raises(NotFoundError):
        window.void_certificate("建字第2026-9999号", "错误", CERT, T0.add(days=30))
    window.void_certificate(number, "内容有误", DIVISION_HEAD, T0.add(days=30))
    with pytest.raises(InvalidStateError, match="voided already"):
        window.void_certificate(number, "内容有误", CERT, T0.add(days=31))
    assert window.certificates.get(number).void_reason == "内容有误"


class _CityCertificates:
    @hookimpl
    def planning_core_certificate_number(self, kind: str, year: int, sequence: int) -> str:
        return f"唐{kind}〔{year}〕{sequence}号"


def test_the_certificate_number_comes_from_the_hook() -> None:
    hooks = make_hooks(entry_points=False)
    hooks.register(_CityCertificates(), name="city-certificates")
    window = make_window(hooks=hooks)
    assert [_issue(window), _issue(window, "2026-03-03 09:00")] == [
        "唐建字〔2026〕1号",
        "唐建字〔2026〕2号",
    ]


@pytest.mark.slow
def test_eight_processes_issuing_100_each_get_800_distinct_gap_free_numbers(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'register.db'}"
    make_window(url).engine.store.close()
    issued = run_together(issue_certificates, [(url, w, 100) for w in range(8)])
    numbers = [n for batch in issued for n in batch]
    assert len(numbers) == len(set(numbers)) == 800
    assert sorted(numbers) == [f"建字第2026-{i:04d}号" for i in range(1, 801)]
    assert all(batch == sorted(batch) for batch in issued)  # each process saw its own go up
    register = make_window(url).certificates.entries()
    assert sorted(e.number for e in register) == sorted(numbers)
    assert len({e.case_id for e in register}) == 800
