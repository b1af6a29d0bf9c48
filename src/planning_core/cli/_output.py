"""The output convention every command follows (``docs/cli.md``).

- ``--format text|json`` (and ``csv`` where the output is a table): text is for people,
  JSON and CSV for programs. JSON is UTF-8 (Chinese as is), and a library concept has the
  one shape the library's converter gives it (:func:`planning_core.serialization.dump`):
  instants are ISO 8601 with their offset, a ``TimeLimit`` is ``{"days", "unit"}``, a
  deadline carries its ``provisional`` flag, a light is its name.
- ``--out FILE`` writes the output to FILE (UTF-8; CSV with a byte-order mark so a
  spreadsheet reads the Chinese) and says so on stderr; without it, stdout.
- Progress bars (rich) go to stderr, and only when stderr is a terminal.
- Exit status: 0 done; 1 a check ran and found problems (``cases verify``, ``workflow
  check``, ``check-scheme``, ``bureau check`` …); 2 the input was wrong (a bad option, a
  bad file, a case that does not exist), with one line on stderr saying what to do.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import click

from planning_core.cli._base import CliContext

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

__all__ = [
    "Output",
    "ProgressBar",
    "json_text",
    "output_options",
    "progress",
]

F = TypeVar("F", bound=Callable[..., Any])


def json_text(data: object) -> str:
    """``data`` (already JSON-ready) as indented UTF-8 JSON text, one trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@attrs.frozen
class Output:
    """Where and how a command writes what it produced (``--format`` and ``--out``).

    :param fmt: ``text``, ``json`` or ``csv``.
    :param out: the file to write, or None for stdout.
    """

    fmt: str = "text"
    out: Path | None = None

    def write(self, text: str, *, encoding: str = "utf-8") -> None:
        """Write ``text`` (given a trailing newline) to ``--out`` or stdout."""
        if not text.endswith("\n"):
            text += "\n"
        if self.out is None:
            click.echo(text, nl=False)
            return
        self.out.write_text(text, encoding=encoding)
        context = click.get_current_context(silent=True)
        obj = None if context is None else context.find_object(CliContext)
        message = (
            f"wrote {self.out}"
            if obj is None
            else obj.say(f"已写入 {self.out}", f"wrote {self.out}")
        )
        click.echo(message, err=True)

    def json(self, data: object) -> None:
        """Write JSON-ready ``data`` (see :func:`json_text`)."""
        self.write(json_text(data))

    def csv(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        """Write a table as CSV: a header row, then ``rows`` (None as an empty cell)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
        self.write(buffer.getvalue(), encoding="utf-8-sig")

    def emit(
        self,
        *,
        text: Callable[[], str],
        data: Callable[[], object],
        table: Callable[[], tuple[Sequence[str], Iterable[Sequence[object]]]] | None = None,
    ) -> None:
        """Write whichever of the three forms ``--format`` asked for (only that one is built)."""
        if self.fmt == "json":
            self.json(data())
        elif self.fmt == "csv" and table is not None:
            self.csv(*table())
        else:
            self.write(text())


def output_options(
    *, csv: bool = False, text_name: str = "text", formats: Sequence[str] = ()
) -> Callable[[F], F]:
    """``--format`` and ``--out`` for a command, given to it as ``output: Output``.

    :param csv: offer ``--format csv`` (for tabular output).
    :param text_name: the name of the human format (``markdown`` for the reports, whose
        text is Markdown; ``html`` is one more format a command adds itself).
    :param formats: more formats the command writes itself (``html``, ``svg``): they reach
        it as ``output.fmt``.

    ``--json`` stays as a hidden alias of ``--format json`` for scripts written before
    the convention.
    """
    choices = [text_name, "json", *(["csv"] if csv else []), *formats]

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, fmt: str, out: Path | None, as_json: bool, **kwargs: Any) -> Any:
            fmt = "json" if as_json else fmt
            if fmt == text_name:
                fmt = "text"
            return function(*args, output=Output(fmt, out), **kwargs)

        options = [
            click.option(
                "--format",
                "fmt",
                type=click.Choice(choices),
                default=text_name,
                show_default=True,
                help="Output format (see docs/cli.md).",
            ),
            click.option(
                "--out",
                type=click.Path(dir_okay=False, path_type=Path),
                default=None,
                help="Write the output to FILE (UTF-8) instead of stdout.",
            ),
            click.option("--json", "as_json", is_flag=True, hidden=True),
        ]
        decorated: Any = wrapper
        for option in reversed(options):
            decorated = option(decorated)
        return decorated  # type: ignore[no-any-return]

    return decorate


class ProgressBar:
    """A callback ``(done, total)`` drawing one bar per phase on stderr.

    The library's long operations (report replays, imports) report progress through such
    a callback; a new bar starts when the count goes back (the next phase).
    """

    def __init__(self, bars: Progress | None, phases: Sequence[str]) -> None:
        self._bars = bars
        self._phases = list(phases)
        self._task: TaskID | None = None
        self._last = 0

    def __call__(self, done: int, total: int) -> None:
        if self._bars is None:
            return
        if self._task is None or done < self._last:
            label = self._phases.pop(0) if self._phases else "…"
            self._task = self._bars.add_task(label, total=total)
        self._bars.update(self._task, completed=done, total=total)
        self._last = done

    def track(self, items: Sequence[Any]) -> Iterator[Any]:
        """Iterate over ``items``, advancing the bar."""
        total = len(items)
        for index, item in enumerate(items, 1):
            yield item
            self(index, total)


@contextmanager
def progress(*phases: str) -> Iterator[ProgressBar]:
    """A :class:`ProgressBar` on stderr, drawn only when stderr is a terminal.

    rich is imported only when a terminal is there to draw on, so piped or tested runs
    pay nothing for it.
    """
    import sys

    if not sys.stderr.isatty():
        yield ProgressBar(None, phases)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bars:
        yield ProgressBar(bars, phases)
