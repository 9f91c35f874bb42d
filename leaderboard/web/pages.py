"""Web pages: task list, board (server-rendered), upload form and "my submissions".

The board table is rendered here in Python; `static/leaderboard.js` uploads with the token
kept in the browser's localStorage, polls the new submission until it is scored and then
reloads the board fragment from `/tasks/{task}/board.html`. "My submissions" loads as soon
as a token is typed (or remembered), before anything is uploaded.
"""

from __future__ import annotations

from html import escape
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from leaderboard.service import LeaderboardService
from leaderboard.store.standings import BoardRow, final_board, public_board
from leaderboard.store.submissions import is_closed
from leaderboard.tasks.loaded import LoadedTask
from leaderboard.web.deps import lookup_task

pages = APIRouter(include_in_schema=False)

STYLE = """body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;
text-align:left}tr.baseline{background:#f3f3f3;font-style:italic}.ci{color:#777;font-size:.85em}
.problems{color:#a00}.notes{color:#555}section{margin:2rem 0}"""


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>""")


def _service(request: Request) -> LeaderboardService:
    return request.app.state.service


def _when(moment) -> str:
    """A deadline as `2026-12-05 23:59 Europe/Berlin`."""
    return f"{moment:%Y-%m-%d %H:%M} {moment.tzinfo}"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def board_rows_html(rows: list[BoardRow], task: LoadedTask, final: bool) -> str:
    """The <tbody> of a board."""
    cells = []
    for row in rows:
        ci = "" if final or row.ci_low is None else (
            f' <span class="ci">[{_num(row.ci_low)}, {_num(row.ci_high)}]</span>')
        extra = "".join(f"<td>{_num(row.metrics.get(m))}</td>" for m in task.spec.metrics[1:])
        css = ' class="baseline"' if row.is_baseline else ""
        cells.append(
            f'<tr{css} data-team="{escape(row.team)}"><td>{row.rank or "—"}</td>'
            f"<td>{escape(row.team)}</td><td>{escape(', '.join(row.members))}</td>"
            f"<td>{_num(row.score)}{ci}</td>{extra}<td>{row.entries}</td>"
            f"<td>{row.submitted_at:%Y-%m-%d %H:%M} UTC</td></tr>")
    return "\n".join(cells)


def _board_tbody(service: LeaderboardService, task: LoadedTask) -> str:
    final = is_closed(task)
    with service.Session() as session:
        rows = final_board(session, task) if final else public_board(session, task)
    return board_rows_html(rows, task, final)


@pages.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    service = _service(request)
    items = "".join(f'<li><a href="/tasks/{escape(n)}">{escape(t.spec.title)}</a> — deadline '
                    f"{escape(_when(t.rules.deadline))}</li>"
                    for n, t in service.tasks.items())
    missing = "".join(f"<li>{escape(n)}: not loaded — {escape(why)}</li>"
                      for n, why in service.missing.items())
    missing = f"<p>Tasks not loaded:</p><ul>{missing}</ul>" if missing else ""
    demo = ("<p><b>Demo roster in use</b>: tokens demo-alice-token, demo-bob-token, "
            "demo-carol-token, demo-dave-token.</p>" if service.roster_is_demo else "")
    return _page("Leaderboard", f"<h1>Leaderboard</h1>{demo}<ul>{items}</ul>{missing}"
                                '<p>API schema: <a href="/docs">/docs</a>, '
                                '<a href="/openapi.json">/openapi.json</a></p>')


@pages.get("/tasks/{task_name}/board.html", response_class=HTMLResponse)
def board_fragment(task_name: str, request: Request) -> HTMLResponse:
    service = _service(request)
    task = lookup_task(service, task_name)
    return HTMLResponse(_board_tbody(service, task))


@pages.get("/tasks/{task_name}", response_class=HTMLResponse)
def task_page(task_name: str, request: Request) -> HTMLResponse:
    service = _service(request)
    task = lookup_task(service, task_name)
    spec, final = task.spec, is_closed(task)
    heads = "".join(f"<th>{escape(m)}</th>" for m in spec.metrics[1:])
    kind = "final standings (private part)" if final else "public board (95% bootstrap CI)"
    body = f"""<p><a href="/">all tasks</a></p><h1>{escape(spec.title)}</h1>
<p>Deadline {escape(_when(task.rules.deadline))}; {task.rules.daily_limit} submissions a
day per team (invalid uploads are not scored but count against a separate limit of
{task.rules.invalid_daily_limit} a day); pick up to {task.rules.final_picks} finals.
Header: <code>{escape(','.join(spec.header))}
</code> ({escape('/'.join(spec.formats))}).</p>
<section><h2>Board — {kind}</h2><table><thead><tr><th>#</th><th>team</th><th>members</th>
<th>{escape(spec.primary_metric)}</th>{heads}<th>entries</th><th>when</th></tr></thead>
<tbody id="board">{_board_tbody(service, task)}</tbody></table></section>
<section><h2>Submit</h2><form id="upload"><label>Token <input id="token" type="password"
size="30" autocomplete="off"></label> <label>File <input id="file" name="file" type="file"
accept=".csv,.jsonl"></label> <label>Note <input id="description" name="description"
size="20"></label> <button id="submit" type="submit">Upload</button></form>
<div id="result"></div></section>
<section><h2>My submissions</h2><p id="remaining"></p><table><thead><tr><th>final</th>
<th>#</th><th>when</th><th>status</th><th>{escape(spec.primary_metric)}</th><th>note</th>
</tr></thead><tbody id="mine"></tbody></table><button id="save-final">Save final picks</button>
</section><script>const TASK = {task_name!r};</script><script src="/static/leaderboard.js">
</script>"""
    return _page(spec.title, body)


@pages.get("/static/leaderboard.js")
def script() -> Response:
    text = resources.files("leaderboard.web").joinpath("static/leaderboard.js").read_text("utf-8")
    return Response(text, media_type="application/javascript")
