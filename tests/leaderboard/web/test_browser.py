"""Headless Chromium (Debian's /usr/bin/chromium via Playwright) uploads and sees the board.

Install the browser with `bash .ci/browser.sh`; never `playwright install`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lb_helpers import answers, csv_bytes, make_data_dir

from leaderboard.localserver import running_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent; install it "
                                                     "with `bash .ci/browser.sh`"),
]


def test_upload_in_browser_updates_board(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    data_dir = make_data_dir(tmp_path / "lb", tasks=("dna-splice",))
    good = tmp_path / "predictions.csv"
    good.write_bytes(csv_bytes("id,label", answers(data_dir, "dna-splice").items()))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"ID,Label\nx,maybe\n")
    with running_server(data_dir, log=tmp_path / "server.log") as (url, _):
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page()
            page.goto(f"{url}/tasks/dna-splice")
            assert page.locator('tr[data-team="carol"]').count() == 0
            page.fill("#token", "tok-carol")
            page.set_input_files("#file", str(bad))
            page.click("#submit")
            page.wait_for_selector("ul.problems li", timeout=20_000)
            assert "lowercase" in page.inner_text("#result")
            page.set_input_files("#file", str(good))
            page.click("#submit")
            page.wait_for_selector("#scored", timeout=30_000)
            row = page.wait_for_selector('tr[data-team="carol"]', timeout=10_000)
            assert "1.0000" in row.inner_text()
            assert "Remaining today: 4 of 5" in page.inner_text("#remaining")
            page.reload()  # the server-rendered board shows it too
            assert page.locator('tr[data-team="carol"]').count() == 1
            browser.close()
