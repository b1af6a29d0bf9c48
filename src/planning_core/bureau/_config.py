"""The bureau configuration: one TOML file that says which bureau a process runs.

::

    name = "唐山市城乡规划局"
    region = "CN-tangshan"                 # the calendar key; default: a plugin's, else CN
    store = "sqlite:///tangshan.db"        # relative SQLite paths are beside this file
    organisation = "organisation.toml"     # default: a plugin's, else the reference one

    [light_policy]                         # default: the plugins' choice per permit type
    kind = "share"                         # share | threshold | three_level
    share = "1/5"                          # YELLOW in the last fifth of each limit
    at_least = 1

    [engine]
    window_post = "WINDOW_CLERK"
    certificate_post = "CERTIFICATE_CLERK"
    cache_size = 4096                      # case states kept in memory (least recent go)
    sweep_batch = 500                      # cases the sweep records per transaction

Every key is optional. Unknown keys are refused, naming them, so a misspelled key never
silently falls back to a default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from planning_core._defaults import BUREAU_ENV
from planning_core.cases import EngineSettings
from planning_core.errors import NotFoundError, ValidationError
from planning_core.inputs import MAX_CONFIG_BYTES, load_toml, read_text
from planning_core.timing import (
    LightPolicy,
    ShareThresholdPolicy,
    ThreeLevelPolicy,
    ThresholdPolicy,
)

__all__ = ["BUREAU_ENV", "BureauConfig", "bureau_config_from_data", "read_bureau_config"]

_KEYS = {"name", "region", "store", "organisation", "light_policy", "engine"}
_POLICIES: dict[str, type[ShareThresholdPolicy | ThresholdPolicy | ThreeLevelPolicy]] = {
    "share": ShareThresholdPolicy,
    "threshold": ThresholdPolicy,
    "three_level": ThreeLevelPolicy,
}
#: The kind a ``[light_policy]`` table without ``kind`` means: the only kind there was when
#: bureau files began, so an older file keeps the policy it chose.
_IMPLIED_POLICY = "threshold"
#: Settings that are a share, not a number of days: text ``"1/5"`` or a TOML number.
_SHARE_KEYS = {"share"}
_ENGINE_KEYS = {"window_post", "certificate_post", "cache_size", "sweep_batch"}


@attrs.frozen
class BureauConfig:
    """One bureau's configuration; every field left None is chosen by the plugins.

    :param name: the bureau's name, printed on its documents (``唐山市城乡规划局``).
    :param region: the calendar region key its clocks count on.
    :param store: the store URL (``sqlite:///bureau.db``, ``postgresql://…``).
    :param organisation: the organisation file (see ``planning_core.workflow.
        read_organisation``).
    :param light_policy: one light policy for every permit type, instead of the plugins'.
    :param settings: the engine's settings (the window's and the certificate clerk's posts).
    :param cache_size: how many case states the engine keeps in memory; None for the
        library's default (``planning_core.cases.DEFAULT_CACHE_SIZE``).
    :param sweep_batch: how many cases the sweep records per transaction; None for the
        library's default (``planning_core.cases.DEFAULT_SWEEP_BATCH``).
    :param source: the file this configuration was read from, if any.
    """

    name: str = ""
    region: str | None = None
    store: str | None = None
    organisation: Path | None = None
    light_policy: LightPolicy | None = None
    settings: EngineSettings = attrs.field(factory=EngineSettings)
    cache_size: int | None = None
    sweep_batch: int | None = None
    source: Path | None = None


def read_bureau_config(path: str | Path) -> BureauConfig:
    """Read a bureau file (TOML, UTF-8, at most 1 MiB: :mod:`planning_core.inputs`).

    :raises NotFoundError: when the file does not exist.
    :raises ValidationError: when it is not UTF-8 TOML or names an unknown key or a bad value.
    """
    file = Path(path)
    what = f"bureau file {str(file)!r}"
    try:
        text = read_text(file, what, max_bytes=MAX_CONFIG_BYTES)
    except NotFoundError:
        raise NotFoundError(
            f"no bureau file at {str(file)!r}; pass an existing file with --bureau"
        ) from None
    data = load_toml(text, what)
    try:
        return bureau_config_from_data(data, base=file.resolve().parent, source=file)
    except ValidationError as exc:
        raise ValidationError(f"bureau file {str(file)!r}: {exc}") from exc


def bureau_config_from_data(
    data: dict[str, Any], *, base: Path | None = None, source: Path | None = None
) -> BureauConfig:
    """A configuration from a parsed bureau file.

    :param base: the folder relative paths (the organisation file, a SQLite store) are
        read from; default: the working directory.
    :raises ValidationError: naming each unknown key or bad value.
    """
    _no_unknown(data, _KEYS, "")
    folder = base or Path.cwd()
    organisation = data.get("organisation")
    return BureauConfig(
        name=_text(data, "name") or "",
        region=_text(data, "region"),
        store=_store(_text(data, "store"), folder),
        organisation=None if organisation is None else folder / _path_text(organisation),
        light_policy=_policy(data.get("light_policy")),
        settings=_settings(data.get("engine")),
        cache_size=_engine_count(data.get("engine"), "cache_size", 0, "0 keeps no case in memory"),
        sweep_batch=_engine_count(data.get("engine"), "sweep_batch", 1, "cases per transaction"),
        source=source,
    )


def _no_unknown(data: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValidationError(
            f"unknown key(s) {', '.join(where + k for k in unknown)}; "
            f"the known ones are {', '.join(where + k for k in sorted(known))}"
        )


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{key} must be a non-empty string, not {value!r}")
    return value


def _path_text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"organisation must be a file path, not {value!r}")
    return value


def _store(url: str | None, folder: Path) -> str | None:
    """A relative SQLite path is read beside the bureau file, not in the working folder."""
    if url is None or not url.startswith("sqlite:///") or url.startswith("sqlite:////"):
        return url
    path, _, query = url.removeprefix("sqlite:///").partition("?")
    absolute = folder / path
    return f"sqlite:///{absolute}" + (f"?{query}" if query else "")


def _policy(data: object) -> LightPolicy | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValidationError(f"[light_policy] must be a table, not {data!r}")
    options = dict(data)
    kind = options.pop("kind", _IMPLIED_POLICY)
    policy = _POLICIES.get(kind) if isinstance(kind, str) else None
    if policy is None:
        raise ValidationError(
            f"light_policy.kind {kind!r} is unknown; use one of {', '.join(sorted(_POLICIES))}"
        )
    fields = {a.name for a in attrs.fields(policy)}
    _no_unknown(options, fields, "light_policy.")
    for key, value in options.items():
        _check_setting(key, value)
    try:
        return policy(**options)
    except ValueError as exc:
        raise ValidationError(f"light_policy: {exc}") from exc


def _check_setting(key: str, value: object) -> None:
    """Days are whole numbers; a share is a fraction's text (``"1/5"``) or a number."""
    if isinstance(value, bool):
        raise ValidationError(f"light_policy.{key} must be a number, not {value!r}")
    if key in _SHARE_KEYS:
        if not isinstance(value, int | float | str):
            raise ValidationError(
                f'light_policy.{key} must be a fraction such as "1/5" or 0.2, not {value!r}'
            )
    elif not isinstance(value, int):
        raise ValidationError(f"light_policy.{key} must be a whole number, not {value!r}")


def _engine_count(data: object, key: str, least: int, meaning: str) -> int | None:
    """``engine.<key>``: a whole number >= ``least``, or None when it is not given."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValidationError(
            f"engine.{key} must be a whole number >= {least} ({meaning}), not {value!r}"
        )
    return value


def _settings(data: object) -> EngineSettings:
    if data is None:
        return EngineSettings()
    if not isinstance(data, dict):
        raise ValidationError(f"[engine] must be a table, not {data!r}")
    _no_unknown(data, _ENGINE_KEYS, "engine.")
    defaults = EngineSettings()
    return attrs.evolve(
        defaults,
        window_post=_text(data, "window_post") or defaults.window_post,
        certificate_post=_text(data, "certificate_post") or defaults.certificate_post,
    )
