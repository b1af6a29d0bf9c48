"""A bureau on a memory store with one case in review, and the web app over it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pendulum
import pytest
from litestar.testing import TestClient

from planning_core.bureau import Bureau, open_bureau
from planning_core.web import StaffCredentials, WebSettings, create_app
from planning_core.window import Application, Receipt

ZONE = "Asia/Shanghai"
PASSWORD = "correct-horse-1"
STAFF = (
    "zhang.min",
    "liu.yang",
    "wang.jianguo",
    "li.hua",
    "ma.zhi",
    "gao.ming",
    "zheng.wei",
    "zhao.lei",
)


class Clock:
    """The door's clock, moved by the tests."""

    def __init__(self) -> None:
        self.now = pendulum.datetime(2026, 11, 26, 9, 0, tz=ZONE)

    def __call__(self) -> pendulum.DateTime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bureau() -> Iterator[Bureau]:
    with open_bureau(store="memory://") as b:
        credentials = StaffCredentials(b.store, b.organisation)
        for actor in STAFF:
            credentials.set_password(actor, PASSWORD)
        yield b


@pytest.fixture
def receipt(bureau: Bureau) -> Receipt:
    permit = bureau.engine.permit_type("CONSTRUCTION")
    materials = tuple(m.code for m in permit.required_materials)
    return bureau.window.intake(
        Application("CONSTRUCTION", "唐山某置业有限公司", "凤凰新城三期", materials, "13800000000"),
        bureau.actor("WINDOW_CLERK"),
        pendulum.datetime(2026, 11, 25, 9, 0, tz=ZONE),
    )


@pytest.fixture
def client(bureau: Bureau, clock: Clock) -> Iterator[TestClient]:  # type: ignore[type-arg]
    app = create_app(bureau, clock=clock, settings=WebSettings(secure_cookies=False))
    with TestClient(app) as c:
        yield c


def csrf_of(client: TestClient, path: str = "/status") -> str:  # type: ignore[type-arg]
    page = client.get(path)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def log_in(client: TestClient, actor: str) -> str:  # type: ignore[type-arg]
    """Log ``actor`` in; returns the session's CSRF token."""
    token = csrf_of(client, "/staff/login")
    r = client.post(
        "/staff/login",
        data={"csrf": token, "actor_id": actor, "password": PASSWORD},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return csrf_of(client, "/staff")
