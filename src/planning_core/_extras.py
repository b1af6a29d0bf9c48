"""Importing an optional package, with one line saying which extra brings it.

The core distribution installs only what approval needs (``pip install planning-core``);
geometry and projections, charts, the web door and the PDF documents come with extras
(``[geo]``, ``[charts]``, ``[web]``, ``[pdf]``). A room that needs one of them imports it
through :func:`import_extra` at the moment the feature is used (or at the top of a room that
is nothing without it), so ``import planning_core.cases`` never pulls shapely or
matplotlib, and a user who asks for a site map without ``[geo]`` reads one line naming the
command to run instead of a traceback ending in ``ModuleNotFoundError: shapely``.
"""

from __future__ import annotations

import importlib
import types

from planning_core.errors import MissingExtraError

__all__ = ["import_extra", "missing_extra_message"]


def missing_extra_message(extra: str, purpose: str) -> str:
    """The one line shown when ``purpose`` needs ``extra`` and it is not installed."""
    return f'{purpose} needs the {extra!r} extra: pip install "planning-core[{extra}]"'


def import_extra(module: str, extra: str, purpose: str) -> types.ModuleType:
    """Import ``module``, or say in one line which extra to install.

    :param module: the dotted module to import (``"shapely.geometry"``).
    :param extra: the planning-core extra that brings it (``"geo"``).
    :param purpose: what needs it, as the subject of a sentence (``"the site map"``).
    :raises MissingExtraError: the module (or one it imports) is not installed; the message
        reads ``the site map needs the 'geo' extra: pip install "planning-core[geo]"``.
        The ``ImportError`` is chained as ``__cause__``.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            missing_extra_message(extra, purpose), extra=extra, module=module
        ) from exc
