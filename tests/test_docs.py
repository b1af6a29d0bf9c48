"""Meta-tests: the hook reference in docs/plugins.md cannot drift from hookspecs.py."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from planning_core import hookspecs

DOCS = Path(__file__).resolve().parent.parent / "docs"
HOOKS = sorted(name for name in vars(hookspecs) if name.startswith("planning_core_"))


def _section(name: str) -> str:
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    match = re.search(rf"^### {name}\n(.*?)(?=^### |\Z)", text, re.M | re.S)
    assert match, f"docs/plugins.md has no section '### {name}'"
    return match.group(1)


def _signature(name: str) -> str:
    function = getattr(hookspecs, name)
    return f"{name}{inspect.signature(function)}".replace("'", "")


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_has_a_docs_section_with_its_exact_signature(name: str) -> None:
    assert _signature(name) in _section(name)


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_spec_has_a_docstring(name: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, name)) or ""
    assert len(doc.split()) > 10, f"{name} needs a docstring that is its contract"
    if getattr(hookspecs, name).planning_core_spec.get("firstresult"):
        assert "first non-None result" in doc


def test_docs_describe_no_hook_that_does_not_exist() -> None:
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### (planning_core_\w+)", text, re.M))
    assert documented == set(HOOKS)


# -- the example organisation's posts, on docs/workflow.md ------------------------------------

_POSTS_START, _POSTS_END = "<!-- posts:start -->", "<!-- posts:end -->"


def posts_table() -> str:
    """The reference organisation's posts as docs/workflow.md lists them, from the code:
    each post's code, name, division, authority, holders, and the steps it owns in the six
    reference workflows (plus the window's and the certificate's work, EngineSettings, and
    the extension only the bureau head approves)."""
    from planning_core.cases import EngineSettings
    from planning_core.permits import reference_permit_types
    from planning_core.workflow import Authority, reference_organisation

    org = reference_organisation()
    permits = reference_permit_types()
    settings = EngineSettings()
    engine_work = {
        settings.window_post: "收件、受理、补正、送达",
        settings.certificate_post: "证件编号与发放",
    }
    lines = [
        "| 岗位代码 | 岗位 | 处室 | authority | 在岗人员 | 负责的环节 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for post in org.posts:
        steps: dict[str, list[str]] = {}
        for permit in permits:
            for step in permit.workflow.steps:
                if step.post == post.code:
                    steps.setdefault(step.name, []).append(permit.name_zh)
        owned = [
            f"{name}（{'全部6类许可' if len(kinds) == len(permits) else '、'.join(kinds)}）"
            for name, kinds in steps.items()
        ]
        if post.code in engine_work:
            owned.append(engine_work[post.code])
        if post.authority.at_least(Authority.BUREAU_HEAD):
            owned.append("批准延期（Extend）")
        holders = "、".join(f"{a.name}（`{a.id}`）" for a in org.actors if post.code in a.posts)
        lines.append(
            f"| `{post.code}` | {post.name} | {org.division(post.division).name} | "
            f"`{post.authority.name}` | {holders} | {'；'.join(owned) or '—'} |"
        )
    return "\n".join(lines)


def test_the_posts_table_of_the_workflow_page_matches_the_reference_organisation() -> None:
    page = (DOCS / "workflow.md").read_text(encoding="utf-8")
    assert _POSTS_START in page and _POSTS_END in page, "docs/workflow.md lost its posts table"
    shown = page.split(_POSTS_START, 1)[1].split(_POSTS_END, 1)[0].strip()
    expected = posts_table()
    assert shown == expected, f"replace the table in docs/workflow.md with:\n{expected}"
