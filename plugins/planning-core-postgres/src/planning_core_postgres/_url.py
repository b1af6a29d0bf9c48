"""Reading a ``postgresql://`` store URL: what goes to libpq and what the store keeps.

The URL is libpq's own connection URI (user, password, host, port, database and libpq
options such as ``sslmode`` or ``connect_timeout``) plus a few options that libpq does not
know and the store takes out before connecting:

* ``schema``: the PostgreSQL schema that holds the tables (default ``planning_core``), set as
  the connections' ``search_path``, so one database can hold several bureaus or test runs;
* ``pool_min_size``, ``pool_max_size``, ``pool_timeout``: the connection pool's size and how
  many seconds a caller waits for a free connection.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import attrs

from planning_core.errors import ValidationError

__all__ = ["DEFAULT_SCHEMA", "SCHEMES", "Settings", "parse_url", "redact"]

#: The URL schemes this backend opens (libpq accepts both spellings).
SCHEMES = ("postgresql", "postgres")

#: The schema that holds the tables when the URL names none.
DEFAULT_SCHEMA = "planning_core"

_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_OWN_OPTIONS = ("schema", "pool_min_size", "pool_max_size", "pool_timeout")


@attrs.frozen
class Settings:
    """What a store URL says, split into libpq's part and the store's own.

    :param conninfo: the URL for libpq, without the store's own options.
    :param schema: the schema that holds the tables.
    :param options: the libpq ``options`` value (server settings) to connect with; it
        always sets ``search_path`` to ``schema``.
    """

    conninfo: str
    schema: str
    options: str
    pool_min_size: int = 1
    pool_max_size: int = 10
    pool_timeout: float = 30.0


def parse_url(url: str) -> Settings:
    """Split ``url`` into :class:`Settings`, reporting every bad option at once.

    :raises ValidationError: for another scheme, a bad schema name or a bad pool option.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme not in SCHEMES:
        raise ValidationError(
            f"{redact(url)!r} is not a PostgreSQL URL; write "
            f"postgresql://user@host:5432/database?schema=planning_core"
        )
    query = parse_qsl(parts.query, keep_blank_values=True)
    own = {k: v for k, v in query if k in _OWN_OPTIONS}
    libpq = [(k, v) for k, v in query if k not in _OWN_OPTIONS and k != "options"]
    user_options = " ".join(v for k, v in query if k == "options")
    problems: list[str] = []
    schema = own.get("schema", DEFAULT_SCHEMA)
    if not _SCHEMA_NAME.fullmatch(schema):
        problems.append(
            f"schema={schema!r}: use lower-case letters, digits and _ (at most 63, "
            f"not starting with a digit), e.g. schema=bureau_tangshan"
        )
    sizes = {name: _positive_int(own, name, default, problems) for name, default in _SIZES}
    timeout = _positive_float(own, "pool_timeout", 30.0, problems)
    if not problems and sizes["pool_min_size"] > sizes["pool_max_size"]:
        problems.append(
            f"pool_min_size={sizes['pool_min_size']} is larger than "
            f"pool_max_size={sizes['pool_max_size']}"
        )
    if problems:
        raise ValidationError(f"bad option(s) in store URL {redact(url)!r}", problems)
    return Settings(
        conninfo=urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(libpq), "")),
        schema=schema,
        options=f"{user_options} -c search_path={schema}".strip(),
        pool_min_size=sizes["pool_min_size"],
        pool_max_size=sizes["pool_max_size"],
        pool_timeout=timeout,
    )


def redact(url: str) -> str:
    """``url`` with its password replaced by ``***``, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


_SIZES = (("pool_min_size", 1), ("pool_max_size", 10))


def _positive_int(own: dict[str, str], name: str, default: int, problems: list[str]) -> int:
    raw = own.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        problems.append(f"{name}={raw!r}: use a whole number of at least 1")
        return default
    return int(raw)


def _positive_float(own: dict[str, str], name: str, default: float, problems: list[str]) -> float:
    raw = own.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        problems.append(f"{name}={raw!r}: use a number of seconds greater than 0")
        return default
    return value
