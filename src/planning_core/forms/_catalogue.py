"""The registered forms, and ``validate_form``: what the window calls at intake."""

from __future__ import annotations

from typing import Protocol

from planning_core.errors import ConfigurationError
from planning_core.forms._form import Form, FormDefinition
from planning_core.forms._reference import reference_forms
from planning_core.registry import Registry

__all__ = ["form_catalogue", "reference_form_catalogue", "validate_form"]


class _FormHooks(Protocol):
    """What this module needs of a plugin manager (``planning_core.plugins.Hooks`` has it)."""

    def register_forms(self, registry: Registry[FormDefinition]) -> None: ...


def form_catalogue(hooks: _FormHooks | None = None) -> Registry[FormDefinition]:
    """Every form the plugins registered (the built-in six first), by permit type code.

    :param hooks: the plugins to ask; None means the six national forms only.

    :raises ConfigurationError: when a form is registered under another key than its
        permit type.
    """
    if hooks is None:
        return reference_form_catalogue()
    registry: Registry[FormDefinition] = Registry("application form")
    hooks.register_forms(registry)
    for key, form in registry.items():
        if key != form.permit_type:
            raise ConfigurationError(
                f"form {form.title!r} is registered under {key!r} but belongs to permit type "
                f"{form.permit_type!r}; register it under its permit type"
            )
    return registry


def reference_form_catalogue() -> Registry[FormDefinition]:
    """The six national forms only, without any plugin (for tests and plain scripts)."""
    registry: Registry[FormDefinition] = Registry("application form")
    for form in reference_forms():
        registry.add(form.permit_type, form)
    return registry


def validate_form(
    permit_type: str, data: object, forms: Registry[FormDefinition] | None = None
) -> Form:
    """Validate the application form ``data`` of ``permit_type``.

    :param forms: the registered forms (``form_catalogue(hooks)``); by default the six
        national ones.
    :raises NotFoundError: when no form is registered for ``permit_type``.
    :raises ValidationError: listing every problem of ``data`` with its field path.
    """
    catalogue = forms if forms is not None else reference_form_catalogue()
    return catalogue.get(permit_type).validate(data)
