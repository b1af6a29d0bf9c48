"""Packaging: the optional-package guard, the version, the licence, the lean core.

The core distribution installs only what approval needs; the rest comes with extras. These
tests check the guard that turns a missing optional package into one line naming the extra;
that the installed metadata agrees with the package (version, licence); that pyproject's
extras bring what the rooms need; and, in a fresh interpreter where every optional package
is blocked (as in a core-only install), that the approval rooms import without pulling any
of them, that the rooms that need an extra say which, and that the demo runs.

(.ci/run also builds the wheel, installs it into a fresh environment outside the repository
and runs the demo there, with and without ``[all]``.)
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

import planning_core
from planning_core import errors
from planning_core._extras import import_extra

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

#: The optional packages, by the extra that brings them (top-level import names).
OPTIONAL = {
    "geo": ("shapely", "pyproj", "numpy"),
    "gis": ("pyogrio",),
    "charts": ("matplotlib", "PIL"),
    "web": ("litestar", "uvicorn", "jinja2"),
    "pdf": ("fpdf", "segno", "cryptography"),
}
BLOCKED = sorted({name for names in OPTIONAL.values() for name in names})

#: The rooms a core-only install must import.
APPROVAL_ROOMS = (
    "planning_core",
    "planning_core.cases",
    "planning_core.window",
    "planning_core.workflow",
    "planning_core.timing",
    "planning_core.permits",
    "planning_core.forms",
    "planning_core.rural",
    "planning_core.conservation",
    "planning_core.reports",
    "planning_core.ledger",
    "planning_core.materials",
    "planning_core.storage",
    "planning_core.bureau",
    "planning_core.cli",
)

#: Run first in the child interpreter: every optional package is "not installed".
_BLOCKER = textwrap.dedent(
    f"""
    import sys

    class _Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {BLOCKED!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None

    sys.meta_path.insert(0, _Blocker())
    """
)


def _without_extras(
    code: str, *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _BLOCKER + textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )


# --- the guard ----------------------------------------------------------------------------


def test_import_extra_returns_the_module_when_it_is_installed() -> None:
    import json as json_module

    assert import_extra("json", "geo", "the site map") is json_module


def test_a_missing_module_names_the_extra_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "shapely", None)
    with pytest.raises(errors.MissingExtraError) as caught:
        import_extra("shapely", "geo", "the site map")
    message = str(caught.value)
    assert message == "the site map needs the 'geo' extra: pip install \"planning-core[geo]\""
    assert "\n" not in message
    assert caught.value.extra == "geo"
    assert caught.value.name == "shapely"
    assert isinstance(caught.value.__cause__, ImportError)


def test_a_missing_parent_package_is_reported_for_a_submodule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "fpdf", None)
    monkeypatch.delitem(sys.modules, "fpdf.enums", raising=False)  # an earlier test loaded it
    with pytest.raises(errors.MissingExtraError, match=r"pip install \"planning-core\[pdf\]\""):
        import_extra("fpdf.enums", "pdf", "the written notices")


def test_the_missing_extra_error_is_public_and_caught_as_import_error() -> None:
    assert "MissingExtraError" in planning_core.__all__
    assert planning_core.MissingExtraError is errors.MissingExtraError
    exc = errors.MissingExtraError("x needs the 'pdf' extra", extra="pdf", module="fpdf")
    assert isinstance(exc, ImportError)  # callers guarding an optional import keep working
    assert isinstance(exc, errors.ConfigurationError)


# --- metadata -----------------------------------------------------------------------------


def test_the_version_is_the_installed_distributions() -> None:
    assert planning_core.__version__ == importlib.metadata.version("planning-core")
    assert "__version__" not in planning_core.__all__


def test_the_licence_is_apache_2_in_the_metadata_and_the_file() -> None:
    meta = importlib.metadata.metadata("planning-core")
    assert meta["License-Expression"] == "Apache-2.0"
    assert "License :: OSI Approved :: Apache Software License" not in (
        meta.get_all("Classifier") or []
    ), "PEP 639: with a License-Expression, no licence classifier"
    text = (ROOT / "LICENSE").read_bytes()
    # The canonical text, https://www.apache.org/licenses/LICENSE-2.0.txt, byte for byte.
    assert hashlib.md5(text, usedforsecurity=False).hexdigest() == (
        "3b83ef96387f14655fc854ddc3c6bd57"
    )


def test_the_metadata_names_the_project_urls_and_python_versions() -> None:
    project = PYPROJECT["project"]
    assert set(project["urls"]) >= {"Homepage", "Documentation", "Source", "Issues"}
    classifiers = set(project["classifiers"])
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert {"Typing :: Typed", "Natural Language :: Chinese (Simplified)"} <= classifiers
    assert (ROOT / "src" / "planning_core" / "py.typed").exists()


# --- extras -------------------------------------------------------------------------------


def _names(requirements: list[str]) -> set[str]:
    """The distribution names in ``requirements`` (``"shapely>=2.0,<3"`` → ``shapely``)."""
    found = set()
    for requirement in requirements:
        name = requirement.split(";")[0]
        for stop in "<>=!~[ ":
            name = name.split(stop)[0]
        found.add(name.lower())
    return found


def _closure(extra: str) -> set[str]:
    """Every distribution ``extra`` brings, following ``planning-core[…]`` references."""
    extras = PYPROJECT["project"]["optional-dependencies"]
    found: set[str] = set()
    for requirement in extras[extra]:
        if requirement.startswith("planning-core["):
            for inner in requirement.split("[")[1].rstrip("]").split(","):
                found |= _closure(inner)
        else:
            found |= _names([requirement])
    return found


def test_the_core_depends_on_no_optional_package() -> None:
    core = _names(PYPROJECT["project"]["dependencies"])
    heavy = {"shapely", "pyproj", "numpy", "matplotlib", "fpdf2", "segno", "cryptography"}
    assert not core & (heavy | {"litestar", "uvicorn", "jinja2", "pyogrio"})


@pytest.mark.parametrize(
    ("extra", "brings"),
    [
        ("geo", {"shapely", "pyproj"}),
        ("gis", {"shapely", "pyproj", "pyogrio"}),
        ("charts", {"matplotlib"}),
        ("web", {"litestar", "uvicorn", "jinja2"}),
        ("pdf", {"fpdf2", "segno", "cryptography"}),
        ("documents", {"fpdf2", "segno", "cryptography"}),
    ],
)
def test_each_extra_brings_its_packages(extra: str, brings: set[str]) -> None:
    assert _closure(extra) == brings


def test_all_is_every_feature_and_dev_has_all_and_the_build_tools() -> None:
    every = set().union(*(_closure(e) for e in ("geo", "gis", "charts", "web", "pdf")))
    assert _closure("all") == every
    assert _closure("dev") >= every | {"build", "twine", "pytest", "hypothesis"}


# --- a core-only interpreter --------------------------------------------------------------


def test_the_approval_rooms_import_without_any_optional_package() -> None:
    done = _without_extras(
        f"""
        import importlib, json
        for room in {list(APPROVAL_ROOMS)!r}:
            importlib.import_module(room)
        print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {BLOCKED!r})))
        """
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize(
    ("room", "extra"),
    [
        ("planning_core.geo", "geo"),
        ("planning_core.documents", "pdf"),
        ("planning_core.web", "web"),
    ],
)
def test_a_room_that_needs_an_extra_says_which_in_one_line(room: str, extra: str) -> None:
    done = _without_extras(
        f"""
        import importlib
        from planning_core.errors import MissingExtraError
        try:
            importlib.import_module({room!r})
        except MissingExtraError as exc:
            print(exc.extra)
            print(exc)
        """
    )
    assert done.returncode == 0, done.stderr
    got_extra, message = done.stdout.splitlines()
    assert got_extra == extra
    assert message.endswith(f'pip install "planning-core[{extra}]"')


def test_a_form_with_a_site_says_it_needs_geo() -> None:
    done = _without_extras(
        """
        from planning_core.errors import MissingExtraError
        from planning_core.forms import reference_forms
        form = next(f for f in reference_forms() if any(x.name == "site" for x in f.fields))
        try:
            form.validate({"site": {"type": "Polygon", "coordinates": []}})
        except MissingExtraError as exc:
            print(exc)
        """
    )
    assert done.returncode == 0, done.stderr
    assert "'geo' extra" in done.stdout


def test_the_demo_runs_without_any_extra(tmp_path: Path) -> None:
    done = _without_extras(
        """
        from planning_core.cli import main
        sys.argv = ["planning-core", "demo"]
        main()
        """,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "红灯案件" in done.stdout
    # the PDFs are skipped in one line naming the extra (on stdout or stderr)
    said = (done.stdout + done.stderr).splitlines()
    assert len([line for line in said if "planning-core[pdf]" in line]) == 1, said
