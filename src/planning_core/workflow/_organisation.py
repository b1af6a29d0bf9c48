"""The organisation: divisions (处室), posts (岗位) and the actors who hold them.

Steps of a workflow name a *post*, never a person: the seed fixes "each post's duties,
approval authority, business standards and time limit" in the system, and people change
posts without the workflow changing. Who holds which post is the host's data; a reference
organisation of a municipal planning bureau ships in
:mod:`planning_core.workflow._reference_org` for the demo and tests.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

import attrs

from planning_core.errors import NotFoundError, ValidationError
from planning_core.timing import TimeLimit

__all__ = ["Actor", "Authority", "Division", "Organisation", "Post"]

T = TypeVar("T")


class Authority(enum.Enum):
    """Approval authority (审批权限): how high a post may decide.

    The order matters (a deputy head may do what a division head may), so each level has a
    :attr:`rank`; compare with :meth:`at_least`.

    ``GOVERNMENT_HEAD`` is the head of the people's government at the bureau's level (本级人民
    政府负责人), who approves the extension of a joint or centralised handling (行政许可法
    art. 42 para. 2). The law leaves it to the host who that is: the post in its organisation
    file that has this authority, typically in a division such as 市政府. It ranks above the
    bureau head, so it may also do whatever the bureau head may.
    """

    STAFF = "staff"
    DIVISION_HEAD = "division_head"
    DEPUTY_HEAD = "deputy_head"
    BUREAU_HEAD = "bureau_head"
    GOVERNMENT_HEAD = "government_head"

    @property
    def rank(self) -> int:
        """1 for staff up to 4 for the bureau head and 5 for the government head."""
        return _RANKS[self]

    @property
    def zh(self) -> str:
        """The level as the bureau says it: 经办, 处长, 分管副局长, 局长, 本级人民政府负责人."""
        return _AUTHORITY_ZH[self]

    def at_least(self, other: Authority) -> bool:
        """True when this level may decide whatever ``other`` may."""
        return self.rank >= other.rank


_RANKS = {
    Authority.STAFF: 1,
    Authority.DIVISION_HEAD: 2,
    Authority.DEPUTY_HEAD: 3,
    Authority.BUREAU_HEAD: 4,
    Authority.GOVERNMENT_HEAD: 5,
}
_AUTHORITY_ZH = {
    Authority.STAFF: "经办",
    Authority.DIVISION_HEAD: "处长",
    Authority.DEPUTY_HEAD: "分管副局长",
    Authority.BUREAU_HEAD: "局长",
    Authority.GOVERNMENT_HEAD: "本级人民政府负责人",
}


def _non_empty(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{attribute.name} must be a non-empty string, not {value!r}")


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _divisions(value: Iterable[Division]) -> tuple[Division, ...]:
    return tuple(value)


def _posts(value: Iterable[Post]) -> tuple[Post, ...]:
    return tuple(value)


def _actors(value: Iterable[Actor]) -> tuple[Actor, ...]:
    return tuple(value)


@attrs.frozen
class Division:
    """A department: an internal one (处室, for example 建设工程规划管理处), or another
    department the bureau consults (征求意见: 消防、人防、交通、园林、文物 …).

    :param external: True for a department outside the bureau; CONSULT steps name only these.
    :param liaison: for an external department, how its liaison is reached (name and phone,
        or an address): the consultation request goes there, and the board shows it beside a
        late answer.
    """

    code: str = attrs.field(validator=_non_empty)
    name: str = attrs.field(validator=_non_empty)
    external: bool = False
    liaison: str = ""


@attrs.frozen
class Post:
    """A position (岗位) with its duties, authority and, where the bureau sets one, a limit.

    :param code: the stable key steps refer to (``"CONSTRUCTION_REVIEWER"``).
    :param name: the Chinese name shown to people.
    :param division: the code of the division the post belongs to.
    :param authority: how high the post may decide.
    :param duties: the duties text (岗位职责) as the bureau publishes it.
    :param time_limit: the longest a step owned by this post may be given, when the bureau
        fixes one per post; a workflow step with a longer limit is a definition problem.
    """

    code: str = attrs.field(validator=_non_empty)
    name: str = attrs.field(validator=_non_empty)
    division: str = attrs.field(validator=_non_empty)
    authority: Authority = Authority.STAFF
    duties: str = ""
    time_limit: TimeLimit | None = None


@attrs.frozen
class Actor:
    """A person in the bureau, holding one or more posts (a clerk may cover two windows)."""

    id: str = attrs.field(validator=_non_empty)
    name: str = attrs.field(validator=_non_empty)
    posts: tuple[str, ...] = attrs.field(converter=_codes)


@attrs.frozen
class Organisation:
    """Divisions, posts and actors, checked together when built.

    Every post must belong to a known division and every actor must hold at least one known
    post; codes are unique. All problems are reported at once.

    :raises ValidationError: listing every problem.
    """

    divisions: tuple[Division, ...] = attrs.field(converter=_divisions)
    posts: tuple[Post, ...] = attrs.field(converter=_posts)
    actors: tuple[Actor, ...] = attrs.field(default=(), converter=_actors)

    def __attrs_post_init__(self) -> None:
        problems = _organisation_problems(self)
        if problems:
            raise ValidationError(
                f"the organisation has {len(problems)} problem(s); fix each one below",
                problems,
            )

    def division(self, code: str) -> Division:
        """The division with ``code``."""
        return _find(self.divisions, "division", code, lambda d: d.code)

    def post(self, code: str) -> Post:
        """The post with ``code``."""
        return _find(self.posts, "post", code, lambda p: p.code)

    def actor(self, actor_id: str) -> Actor:
        """The actor with ``actor_id``."""
        return _find(self.actors, "actor", actor_id, lambda a: a.id)

    def has_post(self, code: str) -> bool:
        """True when a post with ``code`` exists."""
        return any(p.code == code for p in self.posts)

    def holders(self, post_code: str) -> tuple[Actor, ...]:
        """Everyone who holds ``post_code`` (the post's inbox readers)."""
        self.post(post_code)
        return tuple(a for a in self.actors if post_code in a.posts)

    def posts_of(self, actor_id: str) -> tuple[Post, ...]:
        """The posts ``actor_id`` holds."""
        return tuple(self.post(code) for code in self.actor(actor_id).posts)

    def holds(self, actor_id: str, post_code: str) -> bool:
        """True when ``actor_id`` holds ``post_code``."""
        return post_code in self.actor(actor_id).posts

    def external(self) -> tuple[Division, ...]:
        """The departments outside the bureau that CONSULT steps may ask."""
        return tuple(d for d in self.divisions if d.external)

    def posts_with(self, authority: Authority) -> tuple[Post, ...]:
        """Posts whose authority is at least ``authority`` (for example the bureau head)."""
        return tuple(p for p in self.posts if p.authority.at_least(authority))


def _find(items: tuple[T, ...], kind: str, key: str, key_of: Callable[[T], str]) -> T:
    for item in items:
        if key_of(item) == key:
            return item
    known = ", ".join(sorted(key_of(i) for i in items)) or "none"
    raise NotFoundError(f"unknown {kind} {key!r}; known: {known}")


def _organisation_problems(org: Organisation) -> list[str]:
    problems: list[str] = []
    for kind, codes in (
        ("division", [d.code for d in org.divisions]),
        ("post", [p.code for p in org.posts]),
        ("actor", [a.id for a in org.actors]),
    ):
        problems += [
            f"{kind} {code!r} is defined {n} times; give each {kind} its own code"
            for code, n in Counter(codes).items()
            if n > 1
        ]
    divisions = {d.code for d in org.divisions}
    problems += [
        f"post {p.code!r}: division {p.division!r} does not exist; add it or fix the code"
        for p in org.posts
        if p.division not in divisions
    ]
    problems += [
        f"division {d.code!r} is external but has no liaison contact; give liaison= (who "
        f"answers for the department, and how to reach them)"
        for d in org.divisions
        if d.external and not d.liaison.strip()
    ]
    posts = {p.code for p in org.posts}
    for actor in org.actors:
        if not actor.posts:
            problems.append(f"actor {actor.id!r} holds no post; give at least one")
        problems += [
            f"actor {actor.id!r}: post {code!r} does not exist; add it or fix the code"
            for code in actor.posts
            if code not in posts
        ]
    return problems
