"""The participant's path in a real browser: headless Chromium (Debian's /usr/bin/chromium,
driven by Playwright) against a real server. Open the board, enter a token ("My submissions"
loads at once), upload a bad file (the error list), a good one (scored, on the board), and
save final picks. Install the browser with `bash .ci/browser.sh`; never `playwright install`.
With COURSEKIT_UPDATE_SCREENSHOT=1 the board's screenshot is written to docs/.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from lb_helpers import answers, csv_bytes, make_data_dir

from leaderboard.localserver import running_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage"]
SCREENSHOT = Path(__file__).parents[3] / "docs" / "leaderboard-board.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent; install it "
                                                     "with `bash .ci/browser.sh`"),
]


def _upload(url: str, token: str, data: bytes) -> None:
    reply = httpx.post(f"{url}/api/tasks/dna-splice/submissions", timeout=60,
                       headers={"Authorization": f"Bearer {token}"},
                       files={"file": ("p.csv", data)}, data={"description": "first try"})
    assert reply.status_code == 202, reply.text


def test_participant_path_in_headless_chromium(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    data_dir = make_data_dir(tmp_path / "lb", tasks=("dna-splice",))
    truth = list(answers(data_dir, "dna-splice").items())
    flip = {"EI": "IE", "IE": "N", "N": "EI"}
    worse = csv_bytes("id,label", [(i, flip[y] if k < 6 else y) for k, (i, y) in enumerate(truth)])
    good = tmp_path / "predictions.csv"
    good.write_bytes(csv_bytes("id,label", truth))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"ID,Label\nx,maybe\n")
    with running_server(data_dir, log=tmp_path / "server.log") as (url, _):
        _upload(url, "tok-dave", worse)
        _upload(url, "tok-carol", worse)
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto(f"{url}/tasks/dna-splice")
            page.fill("#token", "tok-carol")  # no upload yet: the list loads from the token
            page.wait_for_selector("#mine tr", timeout=20_000)
            assert "Remaining today: 4 of 5" in page.inner_text("#remaining")
            assert "first try" in page.inner_text("#mine")
            page.set_input_files("#file", str(bad))
            page.click("#submit")
            page.wait_for_selector("ul.problems li", timeout=20_000)
            assert "lowercase" in page.inner_text("#result")
            assert "19 left" in page.inner_text("#result")
            page.set_input_files("#file", str(good))
            page.click("#submit")
            page.wait_for_selector("#scored", timeout=60_000)
            assert "submission #2" in page.inner_text("#accepted")
            row = page.wait_for_selector('tr[data-team="carol"]', timeout=20_000)
            assert "1.0000" in row.inner_text()
            page.check('.pick[data-number="2"]')
            page.click("#save-final")
            page.wait_for_function("document.getElementById('result').textContent"
                                   ".includes('Final picks saved')", timeout=20_000)
            assert "Final picks saved: #2" in page.inner_text("#result")
            page.reload()  # the server-rendered board shows it too
            assert page.locator('tr[data-team="carol"]').count() == 1
            page.fill("#token", "tok-carol")
            page.wait_for_selector('.pick[data-number="2"]:checked', timeout=20_000)
            page.screenshot(path=str(tmp_path / "board.png"), full_page=True)
            if os.environ.get("COURSEKIT_UPDATE_SCREENSHOT"):
                page.screenshot(path=str(SCREENSHOT), full_page=True)
            browser.close()
