"""A real browser on ``planning-core serve``: Debian's chromium, driven by Playwright.

The test prepares a SQLite store with ``planning-core demo``, sets staff passwords with
``planning-core staff password``, starts ``planning-core serve`` on a free loopback port
with its clock started after the demo's last event, and walks: a clerk's intake, the
applicant's query with the receipt, a booking with its card, a reviewer completing a step,
and the board turning red after a sweep. A screenshot of each page is written to the test's
folder (and to ``$PLANNING_CORE_SCREENSHOTS`` when set: docs/img holds the committed set).

Chromium is required in CI (``CI`` set): missing, the test fails; elsewhere it is skipped,
saying why.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EXE = Path(sys.executable).parent / "planning-core"
CLOCK_START = "2026-12-21T10:00:00+08:00"
PASSWORD = "browser-pass-1"
STAFF = ("zhang.min", "wang.jianguo", "zheng.wei")

pytestmark = pytest.mark.slow


def _need_browser() -> None:
    missing = not Path(CHROMIUM).exists()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = True
    if missing:
        message = "chromium (apt-get install chromium) and playwright are needed"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: required in CI")
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _need_browser()
    folder = tmp_path_factory.mktemp("serve")
    store = f"sqlite:///{folder / 'bureau.db'}"
    subprocess.run([EXE, "demo", "--store", store], check=True, capture_output=True)
    for actor in STAFF:
        subprocess.run(
            [EXE, "staff", "password", "--store", store, actor],
            input=f"{PASSWORD}\n",
            text=True,
            check=True,
            capture_output=True,
        )
    port = _free_port()
    log = (folder / "serve.log").open("w")
    process = subprocess.Popen(
        [EXE, "serve", "--store", store, "--port", str(port), "--clock-start", CLOCK_START],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail((folder / "serve.log").read_text())
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


def test_the_day_in_a_browser(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import Page, sync_playwright

    shots = tmp_path / "screenshots"
    shots.mkdir()
    wanted = os.environ.get("PLANNING_CORE_SCREENSHOTS")

    def shot(page: Page, name: str) -> None:
        target = shots / f"web-{name}.png"
        page.screenshot(path=str(target), full_page=True)
        if wanted:
            Path(wanted).mkdir(parents=True, exist_ok=True)
            shutil.copy(target, Path(wanted) / target.name)

    def log_in(page: Page, actor: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{server}/staff/login")
        page.fill("#actor_id", actor)
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]:has-text('登录')")
        page.wait_for_url(f"{server}/staff")

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        desk = browser.new_page(viewport={"width": 1100, "height": 800}, java_script_enabled=False)
        phone = browser.new_page(viewport={"width": 390, "height": 844}, java_script_enabled=False)

        phone.goto(f"{server}/limits")
        assert "报建须知" in phone.content()
        shot(phone, "limits")

        # a clerk's intake
        log_in(desk, "zhang.min")
        desk.goto(f"{server}/staff/intake?permit=CONSTRUCTION")
        desk.fill("#applicant", "唐山某科技有限公司")
        desk.fill("#project", "高新区研发楼")
        for box in desk.query_selector_all("input[name=materials]"):
            box.check()
        desk.click("button:has-text('收件并出具回执')")
        number = desk.inner_text("#case-number")
        password = desk.inner_text("#query-password")
        shot(desk, "receipt")
        desk.goto(f"{server}/staff/cases/{number}")
        desk.click("button:has-text('办结此环节')")
        assert "审查中" in desk.inner_text("#case-status")

        # the applicant's query, on a phone
        phone.goto(f"{server}/status")
        phone.fill("#case_number", number)
        phone.fill("#password", password)
        phone.click("button:has-text('查询')")
        assert "审查中" in phone.content()
        shot(phone, "status")

        # a booking with its card
        phone.goto(f"{server}/appointments")
        shot(phone, "booking")
        phone.fill("#applicant", "王先生")
        phone.fill("#topic", "研发楼报建咨询")
        phone.click("button:has-text('预约')")
        assert re.match(r"A2026-\d{5}", phone.inner_text("#appointment-number"))
        shot(phone, "card")

        # a reviewer completing a step with its checklist
        log_in(desk, "wang.jianguo")
        shot(desk, "inbox")
        desk.goto(f"{server}/staff/cases/{number}")
        for box in desk.query_selector_all("input[name=checklist]"):
            box.check()
        desk.fill("textarea[name=opinion]", "符合控制性详细规划，同意")
        shot(desk, "case")
        desk.click("button:has-text('办结此环节')")
        assert "符合控制性详细规划" in desk.content()

        # the board turns red after a sweep
        log_in(desk, "zheng.wei")
        desk.goto(f"{server}/board")
        before = int(desk.inner_text("#red-count"))
        desk.click("button:has-text('立即扫描')")
        after = int(desk.inner_text("#red-count"))
        assert after > before, (before, after)
        shot(desk, "board")
        browser.close()
