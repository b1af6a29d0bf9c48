from __future__ import annotations

import pytest

from planning_core import errors


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (errors.ValidationError, ValueError),
        (errors.NotFoundError, LookupError),
        (errors.PermissionDeniedError, PermissionError),
        (errors.InvalidStateError, RuntimeError),
        (errors.CalendarCoverageError, LookupError),
        (errors.ConfigurationError, ValueError),
        (errors.ConflictError, RuntimeError),
        (errors.SchemaVersionError, errors.StorageError),
        (errors.MissingExtraError, ImportError),
        (errors.MissingExtraError, errors.ConfigurationError),
    ],
)
def test_each_error_is_a_planning_error_and_its_builtin(cls: type, builtin: type) -> None:
    assert issubclass(cls, errors.PlanningError)
    assert issubclass(cls, builtin)


def test_every_public_error_is_in_all() -> None:
    public = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, errors.PlanningError)
    }
    assert public == set(errors.__all__)


def test_validation_error_lists_every_problem() -> None:
    exc = errors.ValidationError("form has 2 problems", ["a @ $.x", "b @ $.y"])
    assert exc.problems == ("a @ $.x", "b @ $.y")
    assert str(exc).splitlines()[1:] == ["  a @ $.x", "  b @ $.y"]
