"""The rule contract, the rule registry a bureau's plugins fill, and assessing a record.

A rule is any object with an ``id``, a ``description``, a ``basis`` (the regulation or
programme it comes from), ``applies(record)`` and ``check(record) -> Verdict``. The built-in
rules are frozen attrs classes whose parameters (months, distances, ratios, tables) are
fields, so a city changes one with ``attrs.evolve(rule, max_distance_km=Decimal("5"))`` and
registers the result under the same id with ``replace=True``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar, runtime_checkable

from planning_core.conservation._verdict import Assessment, Description, RuleResult, Verdict
from planning_core.errors import ConfigurationError, ValidationError
from planning_core.registry import Registry

__all__ = ["ConservationRule", "assess", "conservation_rules", "expect"]

T = TypeVar("T")


@runtime_checkable
class ConservationRule(Protocol):
    """What every conservation rule provides (built-in or a city's own)."""

    @property
    def id(self) -> str:
        """The key the rule is registered under, e.g. ``vehicles.no-weekend-trips``."""

    @property
    def description(self) -> Description:
        """What the rule says, in Chinese and English."""

    @property
    def basis(self) -> str:
        """Where the rule comes from (a programme, a national regulation)."""

    def applies(self, record: object) -> bool:
        """Whether the rule has anything to say about this kind of record."""

    def check(self, record: Any) -> Verdict:
        """The rule's verdict on ``record`` (only called when :meth:`applies` is true)."""


class _RuleHooks(Protocol):
    """What this module needs of a plugin manager (``planning_core.plugins.Hooks`` has it)."""

    def register_conservation_rules(self, registry: Registry[ConservationRule]) -> None: ...


def conservation_rules(hooks: _RuleHooks | None = None) -> Registry[ConservationRule]:
    """Every rule the plugins registered: the built-ins first, then a city's changes.

    :param hooks: the plugins to ask; None means the built-in rules only.

    :raises ConfigurationError: when a rule is registered under a key other than its id
        (the id is what verdicts and replacements refer to, so the two must agree).
    """
    registry: Registry[ConservationRule] = Registry("conservation rule")
    if hooks is None:
        from planning_core.conservation._builtin import (
            planning_core_register_conservation_rules,
        )

        planning_core_register_conservation_rules(registry)
    else:
        hooks.register_conservation_rules(registry)
    wrong = [f"{key!r} holds rule {rule.id!r}" for key, rule in registry.items() if key != rule.id]
    if wrong:
        raise ConfigurationError(
            "conservation rules must be registered under their own id: "
            + "; ".join(wrong)
            + "; call registry.add(rule.id, rule)"
        )
    return registry


def assess(record: object, rules: Iterable[ConservationRule]) -> Assessment:
    """Ask every rule that applies to ``record`` for its verdict."""
    return Assessment(
        tuple(
            RuleResult(rule.id, rule.description, rule.check(record))
            for rule in rules
            if rule.applies(record)
        )
    )


def expect(record: object, kind: type[T], rule_id: str) -> T:
    """Narrow ``record`` to the type a rule checks, or say which rule got the wrong one."""
    if not isinstance(record, kind):
        raise ValidationError(
            f"rule {rule_id!r} checks a {kind.__name__}, not a {type(record).__name__}; "
            f"use assess() so each rule sees only the records it applies to"
        )
    return record
