"""Otter's student-facing plugin blocks in code cells, which coursekit leaves out with a warning.

Otter Assign replaces a block

    \"\"\" # BEGIN PLUGIN                 (or # BEGIN PLUGIN EXPORT)
    plugin: mypackage.MyPlugin
    args: [pi]
    kwargs: {foo: circumference}
    \"\"\"; # END PLUGIN

by `grader.run_plugin("mypackage.MyPlugin", pi, foo=circumference)` (EXPORT:
`grader.add_plugin_files(...)`) in both notebooks: a call, in the student's session, to the
plugin's `from_notebook` (or `notebook_export`) event through Otter's `otter.Notebook`.
coursekit's notebooks have no `grader` and coursekit has no Otter plugin runtime, so the build
removes the block from both notebooks and returns a warning that names the plugin, gives the
call Otter would have written, and says what to do. Grading never depends on these calls (Otter
computes scores from the tests alone); plugins that do change grading are configured with the
`plugins` config key, which is a build error (see otter_config.UNSUPPORTED).
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from autograder.build.stub import COMMENT, QUOTE, MarkupError

BEGIN = {"BEGIN PLUGIN": False, "BEGIN PLUGIN EXPORT": True}  # tag -> export?
END = "END PLUGIN"
KEYS = {"plugin", "args", "kwargs"}


@dataclass
class Plugin:
    name: str
    call: str       # what Otter Assign writes in its place
    export: bool


def _tag(line: str) -> tuple[str, bool] | None:
    """(BEGIN.../END PLUGIN, whether the code before it is empty or a triple quote)."""
    match = COMMENT.match(line)
    if not match:
        return None
    tag = " ".join(match.group("tag").upper().split())
    if tag not in BEGIN and tag != END:
        return None
    code = match.group("code")
    return tag, not code.strip() or bool(QUOTE.match(code))


def remove_plugins(source: str, where: str) -> tuple[str, list[Plugin]]:
    """The cell without its plugin blocks, and the plugins they called."""
    kept: list[str] = []
    plugins: list[Plugin] = []
    block: list[str] | None = None
    start, export = 0, False
    for number, line in enumerate(source.split("\n"), 1):
        found = _tag(line)
        if found and not found[1]:
            raise MarkupError(f"{where} line {number}: write '# {found[0]}' on the line of a "
                              "triple quote, as Otter's docs do")
        if found and found[0] in BEGIN:
            if block is not None:
                raise MarkupError(f"{where} line {number}: a plugin block inside another")
            block, start, export = [], number, BEGIN[found[0]]
        elif found:
            if block is None:
                raise MarkupError(f"{where} line {number}: '# END PLUGIN' without a BEGIN")
            plugins.append(_plugin("\n".join(block), export, f"{where} line {start}"))
            block = None
        elif block is not None:
            block.append(line)
        else:
            kept.append(line)
    if block is not None:
        raise MarkupError(f"{where} line {start}: '# BEGIN PLUGIN' has no '# END PLUGIN' after it")
    return "\n".join(kept), plugins


def _plugin(text: str, export: bool, where: str) -> Plugin:
    try:
        config = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise MarkupError(f"{where}: the plugin block is not valid YAML: {err}") from None
    if not isinstance(config, dict) or not isinstance(config.get("plugin"), str):
        raise MarkupError(f"{where}: a plugin block needs 'plugin: package.PluginClass'")
    bad = sorted(set(config) - KEYS)
    if bad:
        raise MarkupError(f"{where}: unknown plugin key(s) {bad}; Otter knows {sorted(KEYS)}")
    args, kwargs = config.get("args") or [], config.get("kwargs") or {}
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        raise MarkupError(f"{where}: plugin 'args' is a list and 'kwargs' a mapping")
    # Otter writes args and kwargs' values unquoted: they are Python expressions.
    parts = [f'"{config["plugin"]}"', *map(str, args), *(f"{k}={v}" for k, v in kwargs.items())]
    method = "add_plugin_files" if export else "run_plugin"
    return Plugin(config["plugin"], f"grader.{method}({', '.join(parts)})", export)


def plugin_warning(plugin: Plugin, where: str) -> str:
    """The build warning for a plugin block left out of both notebooks."""
    if plugin.export:
        what = ("adds the files its notebook_export event returns to Otter's export zip; "
                "coursekit students submit the .ipynb itself, so there is no zip to add them to")
    else:
        what = ("runs its from_notebook event in the student's session; to keep it, write "
                "that call in the solution notebook as ordinary code, after `import otter` and "
                "`grader = otter.Notebook()` (students and the grader then need otter-grader "
                "and the plugin installed)")
    return (f"WARNING: {where}: Otter student-facing plugin {plugin.name} left out of both "
            f"notebooks (coursekit has no Otter plugin runtime). Otter would write "
            f"`{plugin.call}`, which {what}. Grading does not depend on it")
