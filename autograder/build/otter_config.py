"""Assignment, question and test configuration with Otter Assign's keys and point rules.

Every key Otter Assign 7 documents is in one of three groups, so none is ever dropped unseen:

- supported: it means in coursekit what it means in Otter (`name`, `seed`, `files`,
  `student_files`, `tests.ok_format`, `all_or_nothing`, `points` as a number, list or `each`...);
- inert: it only shapes Otter's own outputs (PDF export, Gradescope upload, the export cell,
  the grading image); the build accepts it and reports it as a note, which says why;
- anything else is an error that names the key and lists the keys coursekit knows.

Points follow Otter's rules (docs/test_files/python_format.rst, "Resolving Point Values"),
except that a question whose explicit test points do not add up to its `points` is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from autograder.build.stub import MarkupError

COURSEKIT_KEYS = {"title", "order", "requires", "timeout", "memory_mb", "execution",
                  "hidden_details"}
OTTER_SUPPORTED = {"name", "config_file", "seed", "files", "student_files", "tests", "generate",
                   "strip_solutions_from_all_cells"}
# Otter keys that only shape Otter's own outputs: accepted, reported as a note.
OTTER_INERT = {
    "init_cell": "coursekit's student notebook has its own self-check setup cell",
    "check_all_cell": "students run check() for all questions",
    "export_cell": "students submit the .ipynb itself (no zip/PDF export cell)",
    "run_tests": "every build proves the reference earns full marks",
    "solutions_pdf": "no PDFs", "template_pdf": "no PDFs",
    "show_question_points": "question headings always show points",
    "runs_on": "the notebook runs on a standard Jupyter kernel",
    "python_version": "grading uses the kit's own Python environment",
    "requirements": "grading uses the kit's environment (add packages to pyproject.toml)",
    "overwrite_requirements": "grading uses the kit's environment",
    "environment": "grading uses the kit's environment",
    "channel_priority_strict": "grading uses the kit's environment",
    "save_environment": "coursekit never grades from a log of serialized variables",
    "ignore_modules": "coursekit never grades from a log of serialized variables",
    "suppress_no_tests_warning": "questions without tests are reported as notes",
    "autograder_files": "the bundle is built by coursekit",
}
GENERATE_SUPPORTED = {"seed"}
GENERATE_INERT = {"show_stdout", "show_hidden", "show_all_public", "pdf", "token", "course_id",
                  "assignment_id", "filtering", "pagebreaks", "debug", "logo", "print_summary",
                  "print_score", "zips", "log_level", "warn_missing_pdf", "assignment_name",
                  "force_public_test_summary", "submit_blank_pdf_on_export_failure",
                  "use_submission_pdf", "pdf_via_html", "python_version", "channel_priority",
                  "autograder_dir", "miniconda_path"}
QUESTION_KEYS = {"name", "points", "manual", "all_or_nothing", "timeout", "check_cell", "export",
                 "private_points"}
# Otter keys that would change grading and that coursekit cannot honour: each is an error that
# says why (the generic unknown-key error would only say that coursekit does not know it).
UNSUPPORTED = {
    "plugins": "Otter grading plugins (before_grading/after_grading events: grade overrides, "
               "rate limits, notifications...) change scores and coursekit has no Otter plugin "
               "runtime; remove the key, and do what the plugin did outside coursekit (e.g. "
               "adjust the gradebook CSV from `coursekit grade`)",
    "points_possible": "it rescales every score; remove it and set the questions' points",
    "score_threshold": "it turns scores into pass/fail; remove it (coursekit reports points)",
    "grade_from_log": "coursekit grades the submitted notebook itself, never a log",
    "serialized_variables": "coursekit grades the submitted notebook itself, never a log",
    "lang": "coursekit grades Python notebooks only",
}
TEST_KEYS = {"hidden", "points", "timeout", "success_message", "failure_message", "name"}
EXECUTION_MODES = ("graded-code", "notebook")


@dataclass
class Seed:
    """Otter's intercell seeding: `generate.seed` and/or a seed variable."""

    value: int | None = None          # np.random.seed/random.seed at the top of every cell
    variable: str | None = None       # redefined at the top of every cell when grading
    autograder_value: int | None = None
    student_value: int | None = None


@dataclass
class AssignmentConfig:
    name: str
    title: str = ""
    order: int = 0
    requires: list[str] = field(default_factory=lambda: ["numpy"])
    timeout: float = 20.0
    memory_mb: int = 2048
    hidden_details: bool = False       # (branch harden) students see hidden tests' messages
    execution: str | None = None       # None: decided from the test format (see markup.py)
    ok_format: bool | None = None      # Otter's tests.ok_format; None when not set
    seed: Seed = field(default_factory=Seed)
    files: list[str] = field(default_factory=list)
    student_files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_yaml(text: str, where: str) -> dict:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise MarkupError(f"{where}: invalid YAML: {err}") from None
    if not isinstance(data, dict):
        raise MarkupError(f"{where}: expected 'key: value' lines")
    return data


def _unknown(keys, known, what: str, where: str) -> None:
    for key in sorted(set(keys) & set(UNSUPPORTED) if what in {"ASSIGNMENT CONFIG", "generate"}
                      else ()):
        raise MarkupError(f"{where}: Otter's {what} key '{key}' is not supported: "
                          f"{UNSUPPORTED[key]} (see docs/otter.md)")
    bad = sorted(set(keys) - set(known))
    if bad:
        raise MarkupError(f"{where}: unknown {what} key(s) {bad}; coursekit knows "
                          f"{sorted(known)}. Fix or remove it (Otter ignores unknown keys "
                          "without a word; coursekit refuses them, so that a typo cannot "
                          "change grading; see docs/otter.md)")


def assignment_config(data: dict, notebook: Path, where: str) -> AssignmentConfig:
    """The assignment config from the `# ASSIGNMENT CONFIG` YAML (with `config_file` merged)."""
    if "config_file" in data:
        extra = notebook.parent / str(data["config_file"])
        if not extra.is_file():
            raise MarkupError(f"{where}: config_file {extra} does not exist")
        data = {**load_yaml(extra.read_text(encoding="utf-8"), str(extra)), **data}
    _unknown(data, COURSEKIT_KEYS | OTTER_SUPPORTED | set(OTTER_INERT), "ASSIGNMENT CONFIG",
             where)
    name = str(data.get("name") or notebook.parent.name)
    cfg = AssignmentConfig(name, **{k: data[k] for k in COURSEKIT_KEYS - {"execution"}
                                    if k in data})
    cfg.notes = [f"Otter key '{k}' has no effect in coursekit: {why}"
                 for k, why in OTTER_INERT.items() if k in data]
    cfg.execution = _execution(data.get("execution"), where)
    cfg.ok_format = _tests(data.get("tests"), where)
    cfg.seed = _seed(data.get("seed"), data.get("generate"), cfg, where)
    for key in ("files", "student_files"):
        paths = data.get(key) or []
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise MarkupError(f"{where}: '{key}' must be a list of paths relative to the notebook")
        setattr(cfg, key, paths)
    return cfg


def _execution(value, where: str) -> str | None:
    if value is not None and value not in EXECUTION_MODES:
        raise MarkupError(f"{where}: execution must be one of {EXECUTION_MODES}, not {value!r}")
    return value


def _tests(value, where: str) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise MarkupError(f"{where}: 'tests' must be a mapping (e.g. 'ok_format: false')")
    _unknown(value, {"ok_format", "files", "url_prefix"}, "tests", where)
    if value.get("url_prefix"):
        raise MarkupError(f"{where}: tests.url_prefix (tests downloaded from a URL) is not "
                          "supported: coursekit ships public tests with the assignment")
    return None if "ok_format" not in value else bool(value["ok_format"])


def _seed(seed, generate, cfg: AssignmentConfig, where: str) -> Seed:
    out = Seed()
    if isinstance(generate, dict):
        if "seed_variable" in generate:
            raise MarkupError(f"{where}: generate.seed_variable is not supported: write the "
                              "assignment-level 'seed: {variable, autograder_value, "
                              "student_value}' (Otter Assign's documented form)")
        _unknown(generate, GENERATE_SUPPORTED | GENERATE_INERT, "generate", where)
        out.value = generate.get("seed")
        inert = sorted(set(generate) & GENERATE_INERT)
        if inert:
            cfg.notes.append(f"Otter generate key(s) {inert} have no effect in coursekit "
                             "(Gradescope/PDF options)")
    elif generate not in (None, True, False):
        raise MarkupError(f"{where}: 'generate' must be true, false or a mapping")
    if seed:
        if not isinstance(seed, dict):
            raise MarkupError(f"{where}: 'seed' must be a mapping with 'variable', "
                              "'autograder_value' and 'student_value'")
        _unknown(seed, {"variable", "autograder_value", "student_value"}, "seed", where)
        out.variable = seed.get("variable")
        out.autograder_value = seed.get("autograder_value")
        out.student_value = seed.get("student_value")
    return out


@dataclass
class QuestionConfig:
    name: str
    points: float | list | None = None   # a total, a list (one per test) or None
    manual: bool = False
    all_or_nothing: bool = False
    timeout: float | None = None
    notes: list[str] = field(default_factory=list)


def question_config(data: dict, where: str) -> QuestionConfig:
    _unknown(data, QUESTION_KEYS, "question", where)
    if "name" not in data:
        raise MarkupError(f"{where}: BEGIN QUESTION needs a 'name'")
    points = data.get("points")
    if isinstance(points, dict):
        _unknown(points, {"each"}, "points", where)
        points = {"each": float(points.get("each", 1))}
    elif isinstance(points, list):
        if not all(isinstance(p, (int, float)) or p is None for p in points):
            raise MarkupError(f"{where}: a points list holds numbers (one per test)")
    elif points is not None and not isinstance(points, (int, float)):
        raise MarkupError(f"{where}: points must be a number, a list or 'each: N'")
    cfg = QuestionConfig(str(data["name"]), points, bool(data.get("manual", False)),
                         bool(data.get("all_or_nothing", False)), data.get("timeout"))
    if "private_points" in data:
        cfg.notes.append(_private_points(cfg.name, data["private_points"], where))
    return cfg


def _private_points(question: str, value, where: str) -> str:
    """`private_points` is not an Otter 7 key: Otter's question config drops it unread, so the
    question's points come from `points` and the tests alone. coursekit does the same (same
    points as Otter) and says so, since the author may have meant hidden tests' points."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise MarkupError(f"{where}: private_points must be a number, not {value!r}")
    return (f"question {question}: 'private_points: {value:g}' has no effect (Otter 7 ignores "
            "it too: it is not a key of Otter's question config), so the question's points "
            "come from 'points' and the tests' own points, as in Otter. To weight hidden "
            "tests, give them 'points' in their TEST CONFIG, or 'points' as a list")


def test_config(data: dict, where: str) -> dict:
    _unknown(data, TEST_KEYS, "TEST CONFIG", where)
    points = data.get("points")
    if points is not None and not isinstance(points, (int, float)):
        raise MarkupError(f"{where}: test points must be a number")
    return data


def resolve_points(question: str, total, declared: list[float | None]) -> list[float]:
    """Points of each test case, by Otter's rules (`declared`: each test's own points or None).

    A list total gives each test its points; `each` multiplies by the number of tests; a total
    is split over the tests without points; without a total, tests without points are worth 0
    unless no test has points, in which case the question is worth 1.
    """
    if isinstance(total, dict):
        total = total["each"] * len(declared)
    if isinstance(total, list):
        if len(total) != len(declared):
            raise MarkupError(f"question {question}: 'points' lists {len(total)} values but the "
                              f"question has {len(declared)} tests")
        declared, total = [float(p) if p is not None else None for p in total], None
    explicit = sum(p for p in declared if p is not None)
    n_free = sum(p is None for p in declared)
    if total is None:
        free = 1 / n_free if n_free and all(p in (0, None) for p in declared) else 0.0
    else:
        if explicit - float(total) > 1e-9:
            raise MarkupError(f"question {question}: explicit test points ({explicit:g}) exceed "
                              f"the question's points ({float(total):g})")
        if not n_free and abs(explicit - float(total)) > 1e-9:
            raise MarkupError(f"question {question}: test points add up to {explicit:g}, "
                              f"but the question is worth {float(total):g}")
        free = (float(total) - explicit) / n_free if n_free else 0.0
    return [float(p) if p is not None else free for p in declared]


def cell_points(question) -> list[float]:
    """Points of each test function, one number per test cell (a cell's functions share it).

    `question` is a `markup.Question`: `points` is its total (or None), `spec` the points as
    written when a list or `each`; each test cell has `points` (per function) and `functions`.
    """
    declared = [c.points for c in question.tests for _ in c.functions]
    total = question.spec if isinstance(question.spec, (list, dict)) else question.points
    resolved = resolve_points(question.name, total, declared)
    out, start = [], 0
    for cell in question.tests:
        mine = resolved[start:start + len(cell.functions)]
        if len(set(mine)) > 1:
            raise MarkupError(f"question {question.name}: a points list gives different values "
                              f"to the test functions {cell.functions} of one cell")
        out.append(mine[0])
        start += len(cell.functions)
    return out
