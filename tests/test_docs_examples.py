"""Every ``python`` block in docs/ runs as it stands, so the docs cannot rot.

The rule (stated for authors on docs/index.md):

* the plain ```` ```python ```` blocks of a page run in order, as one script (one
  namespace), in an empty temporary working directory;
* a block fenced ```` ```python title="NAME.py" ```` is a file of the example: every such
  file of the page is written into that directory before the blocks run, so the blocks can
  import it (a plugin module, a ``conftest.py``, a test file they run with pytest);
* a block whose nearest non-blank line above is ``<!-- fragment -->`` is a piece of
  something larger (a hook's signature, an excerpt needing data the page does not have)
  and is skipped, explicitly.

Pages are found when the test runs, so a new page is covered the day it is written.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import attrs
import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
FRAGMENT = "<!-- fragment -->"
_FENCE = re.compile(
    r"^(?P<before>[^\n]*)\n(?:[ \t]*\n)*```python(?P<info>[^\n]*)\n(?P<code>.*?)^```", re.M | re.S
)
_TITLE = re.compile(r'^\s*title="(?P<title>[^"]+)"\s*$')


@attrs.frozen
class Block:
    """One ``python`` block of a page."""

    index: int
    code: str
    file: str | None = None
    fragment: bool = False


def blocks(page: Path) -> list[Block]:
    """The page's python blocks, each as a script, a file or a fragment."""
    text = "\n" + page.read_text(encoding="utf-8")
    found = []
    for index, match in enumerate(_FENCE.finditer(text)):
        previous_line = match.group("before")
        info = match.group("info")
        title = _TITLE.fullmatch(info) if info.strip() else None
        assert not info.strip() or title, f"{page.name}: unknown fence options {info!r}"
        file = title.group("title") if title else None
        assert file is None or file.endswith(".py"), (
            f'{page.name}: a titled block names a Python file (title="name.py"), not {file!r}'
        )
        found.append(Block(index, match.group("code"), file, previous_line == FRAGMENT))
    return found


PAGES = sorted(p for p in DOCS.glob("*.md") if blocks(p))


def test_pages_with_examples_are_found() -> None:
    names = {p.name for p in PAGES}
    assert {"quickstart.md", "cases.md", "tutorial.md", "howto-testing.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_example_of_the_page_runs(
    page: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    page_blocks = blocks(page)
    scripts = [b for b in page_blocks if b.file is None and not b.fragment]
    assert scripts or all(b.fragment for b in page_blocks if b.file is None), page.name
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    _run(page, tmp_path)
    if page.name == "cases.md":
        assert capsys.readouterr().out.strip() == "乡字第2026-0001号"


#: Pages a reader follows in a folder of their own, and so may run again in it (a second
#: reading, a fix and a re-run): they must not trip over what the first run left there.
RERUN_PAGES = ("tutorial.md", "quickstart.md")


@pytest.mark.parametrize("name", RERUN_PAGES)
def test_a_page_runs_twice_in_the_same_folder(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    _run(DOCS / name, tmp_path)
    _run(DOCS / name, tmp_path)


def _run(page: Path, folder: Path) -> None:
    """Write the page's files into ``folder`` and run its scripts there, as one namespace."""
    page_blocks = blocks(page)
    scripts = [b for b in page_blocks if b.file is None and not b.fragment]
    for block in page_blocks:
        if block.file is not None:
            (folder / block.file).write_text(block.code, encoding="utf-8")
    before = set(sys.modules)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    try:
        for block in scripts:
            exec(compile(block.code, f"{page.name}[{block.index}]", "exec"), namespace)
    finally:
        for name in set(sys.modules) - before:
            if _from(sys.modules[name], folder):
                del sys.modules[name]


def test_a_fragment_marker_only_skips_the_block_after_it(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "text\n\n<!-- fragment -->\n\n```python\nnot python at all\n```\n\n"
        '```python title="helper.py"\nX = 1\n```\n\n```python\nimport helper\n```\n',
        encoding="utf-8",
    )
    assert [(b.fragment, b.file) for b in blocks(page)] == [
        (True, None),
        (False, "helper.py"),
        (False, None),
    ]


def _from(module: object, folder: Path) -> bool:
    origin = getattr(module, "__file__", None)
    return origin is not None and Path(origin).resolve().is_relative_to(folder.resolve())
