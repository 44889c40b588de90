"""End to end in a real browser: headless Debian Chromium (Playwright, system binary) drives the
page of the app running in-process over a real store with the shipped corpus.

Asks the troops question and sees "11,000"; opens a citation and sees its highlighted quote;
opens Check and sees the Umerov role flag; uploads a new article and gets an answer from it.
Screenshots go to ``artifacts/``. Requests leaving 127.0.0.1 are refused and must not happen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from _ui_app import running
from assistant import Assistant, Settings

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
WAIT = 180_000  # ms: a cold first question on a busy 2-core machine can take a while

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian chromium at /usr/bin/chromium "
                                       "(apt-get install -y chromium; .ci/run does this)")

ARTICLE = """---
title: Varenhold Opens Tidal Power Station
outlet: Northcoast Ledger
---
Varenhold Opens Tidal Power Station

The town of Varenhold switched on its tidal power station on April 9, 2025. Plant manager Sunniva Ekeli said the station's turbines will supply about 7,400 homes. The project cost 95 million euros, the regional council said.
"""


@pytest.fixture(scope="module")
def site(shared_assistant, tmp_path_factory, corpus_dir):
    """The UI over a store of its own (the test uploads into it) with the corpus ingested."""
    tmp = tmp_path_factory.mktemp("ui-browser")
    assistant = Assistant(settings=Settings.from_env(env={}, store_dir=tmp / "store"),
                          embedder=shared_assistant.embedder)
    assistant.ingest([corpus_dir], progress=False)
    with running(assistant, tmp) as (url, _):
        yield url, tmp
    assistant.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT)

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-extensions"])
        yield b
        b.close()


@pytest.fixture
def page(browser, site):
    url, _ = site
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []

    def only_loopback(route):
        u = route.request.url
        if u.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            return route.continue_()
        outside.append(u)
        return route.abort()

    context.route("**/*", only_loopback)
    pg = context.new_page()
    pg.set_default_timeout(WAIT)
    pg.goto(url)
    pg.wait_for_selector("#question textarea")
    yield pg
    context.close()
    assert not outside, f"the page tried to reach beyond this machine: {outside}"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def ask(page, question: str, turn: int):
    page.fill("#question textarea", question)
    page.click("#ask")
    bubbles = page.locator("#chatbot .reply:not(.streaming)")
    reply = bubbles.nth(turn - 1)
    reply.wait_for()
    if turn > 1:  # show the new reply (the chat keeps the earlier turns above it)
        reply.evaluate("e => e.scrollIntoView({block: 'end'})")
    return reply


def test_chat_citation_check_upload(page, site):
    from playwright.sync_api import expect

    _, tmp = site
    # 1. the troops question: the answer says 11,000, with clickable markers and a warning
    answer = ask(page, "How many troops has North Korea deployed?", 1)
    expect(answer).to_contain_text("11,000")
    expect(answer.locator(".flag").first).to_be_visible()
    shot(page, "ui-chat")

    # 2. open a citation: its card opens in the sources panel, the quote highlighted
    markers = answer.locator("a.cite")
    assert markers.count() >= 2
    second = page.locator("#t1-c2")
    assert second.get_attribute("open") is None
    markers.nth(1).click()
    expect(second).to_have_attribute("open", "")
    quote = second.locator("mark.quote")
    expect(quote).to_be_visible()
    expect(quote).to_contain_text("12,000")
    expect(page.locator("#t1-c1 mark.quote")).to_contain_text("11,000")
    shot(page, "ui-citation")

    # 3. Check: pick the article; the Umerov role flag is shown and its spans highlighted
    page.get_by_role("tab", name="Check").click()
    page.click("#check-pick input")
    page.get_by_role("option", name="North Korea Troops (north-korea-troops)").click()
    role = page.locator('#check-out .flag[data-kind="role_conflict"]')
    expect(role.first).to_contain_text("Umerov")
    expect(page.locator("#check-doc mark.flagged").first).to_be_visible()
    shot(page, "ui-check")

    # 4. Corpus: upload a new article and ingest it
    page.get_by_role("tab", name="Corpus").click()
    article = tmp / "Varenhold tidal power.md"
    article.write_text(ARTICLE, encoding="utf-8")
    page.set_input_files("#upload input[type=file]", str(article))
    expect(page.locator("#upload")).to_contain_text("Varenhold")
    page.click("#ingest")
    expect(page.locator("#ingest-report")).to_contain_text("Added 1")
    expect(page.locator("#documents")).to_contain_text("varenhold-tidal-power")
    shot(page, "ui-corpus")

    # 5. ...and get an answer from it, cited to it
    page.get_by_role("tab", name="Chat").click()
    answer = ask(page, "How many homes will the Varenhold tidal station supply?", 2)
    expect(answer).to_contain_text("7,400")
    expect(page.locator("#t2-c1")).to_contain_text("Varenhold Opens Tidal Power Station")
    expect(page.locator("#t2-c1 mark.quote")).to_contain_text("7,400 homes")
    shot(page, "ui-upload-answer")

