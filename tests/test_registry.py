from __future__ import annotations

import pytest

from planning_core import ConfigurationError, NotFoundError, Registry


def test_add_get_replace_remove() -> None:
    reg: Registry[int] = Registry("rule")
    reg.add("a", 1)
    reg.add("b", 2)
    assert reg.get("a") == 1
    assert reg.keys() == ["a", "b"]
    with pytest.raises(ConfigurationError, match="rule 'a' is already registered"):
        reg.add("a", 3)
    assert reg.get("a") == 1  # the failed add changed nothing
    reg.add("a", 3, replace=True)
    assert reg.get("a") == 3
    reg.remove("b")
    assert "b" not in reg
    assert len(reg) == 1


def test_unknown_key_names_the_known_ones() -> None:
    reg: Registry[int] = Registry("calendar")
    reg.add("CN", 1)
    with pytest.raises(NotFoundError, match="unknown calendar 'XX'; registered: CN"):
        reg.get("XX")
    with pytest.raises(NotFoundError):
        reg.remove("XX")


@pytest.mark.parametrize("key", ["", 5, None])
def test_bad_keys_are_refused(key: object) -> None:
    reg: Registry[int] = Registry("rule")
    with pytest.raises(ConfigurationError):
        reg.add(key, 1)  # type: ignore[arg-type]
    assert len(reg) == 0
