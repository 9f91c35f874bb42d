"""Benchmark: the dna_classifier reference Transformer on the leaderboard's dna-splice split.

The model, tokenizer, training loop and metrics are the reference solution itself: the graded
code of solutions/dna_classifier/dna_classifier.ipynb (imports, functions, classes and UPPER_CASE
constants, extracted as the grader does), with the notebook's `MODEL_CONFIG` and `TRAIN_CONFIG`.
Data: `datasets_manifest.load_splice()` split by `leaderboard.tasks.dna_splice_split` (the exact
train/test files `coursekit leaderboard init dna-splice` hands out: 2,552 train / 638 test). As in
the notebook, 10 % of the train rows (seeded) are the validation set for early stopping; the test
split is touched once, at the end. Test predictions are written as the leaderboard CSV, checked
by `leaderboard.validate` and scored against the held-back labels (accuracy, macro-F1 cross-checked
with scikit-learn).

    COURSEKIT_MIRROR=/work/shared/datasets .venv/bin/python bench/dna_bench.py
    .venv/bin/python bench/dna_bench.py --mirror /work/shared/datasets --seeds 0 1 2 --json out.json
    .venv/bin/python bench/dna_bench.py --max-epochs 2                      # quick look

CPU only, `torch.set_num_threads(--threads)` (default 2). Reports wall and CPU (process) time of
the training run and the machine's load average, since a shared machine slows the wall clock.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import nbformat
import torch
from sklearn.metrics import accuracy_score, f1_score

from autograder.extract import graded_code

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "dna_classifier" / "dna_classifier.ipynb"


def reference_namespace() -> dict:
    """The reference solution's graded code, executed as the grader would."""
    code = graded_code(nbformat.read(SOLUTION, as_version=4))
    namespace: dict = {"__name__": "dna_reference"}
    exec(compile(code.source, str(SOLUTION), "exec"), namespace)  # noqa: S102 - our own reference
    return namespace


def load_split(mirror: str | None) -> tuple[list, list]:
    """(train, test) splice records exactly as the leaderboard task splits them."""
    from datasets_manifest import load_splice
    from leaderboard.tasks import dna_splice_split

    if mirror:
        os.environ["COURSEKIT_MIRROR"] = str(Path(mirror).resolve())
    return dna_splice_split(load_splice())


def rows_of(records: list) -> list[dict]:
    return [{"id": r.id, "sequence": r.sequence, "label": r.label} for r in records]


def validation_split(rows: list[dict], fraction: float = 0.1) -> tuple[list, list]:
    """(fit, val) as in the notebook: a permutation seeded with 0, first 10 % for validation."""
    order = torch.randperm(len(rows), generator=torch.Generator().manual_seed(0)).tolist()
    n_val = int(len(rows) * fraction)
    return [rows[i] for i in order[n_val:]], [rows[i] for i in order[:n_val]]


def leaderboard_check(ns: dict, test_rows: list[dict], labels: list[str]) -> dict:
    """Write the leaderboard CSV with the reference writer; validate and score it."""
    from leaderboard.validate import validate_submission

    ids = [r["id"] for r in test_rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "predictions.csv"
        ns["write_predictions"](ids, labels, str(path))
        report = validate_submission("dna-splice", path, ids)
    truth = [r["label"] for r in test_rows]
    got = [report.rows.get(i, "") for i in ids]
    return {"valid": report.ok, "problems": report.problems,
            "accuracy": accuracy_score(truth, got),
            "macro_f1": f1_score(truth, got, average="macro")}


def run_once(ns: dict, fit_rows, val_rows, test_rows, seed: int, max_epochs: int | None) -> dict:
    fit, val = ns["to_data"](fit_rows)[:3], ns["to_data"](val_rows)[:3]
    test = ns["to_data"](test_rows)
    torch.manual_seed(seed)
    model = ns["DNAClassifier"](len(ns["VOCAB"]), n_classes=len(ns["CLASSES"]), **ns["MODEL_CONFIG"])
    config = dict(ns["TRAIN_CONFIG"])
    if max_epochs is not None:
        config["max_epochs"] = max_epochs
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    history = ns["train_with_early_stopping"](model, fit, val, seed=seed, **config)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    result = ns["evaluate"](model, test, n_classes=len(ns["CLASSES"]))
    labels = [ns["CLASSES"][i] for i in ns["predict"](model, test[0], test[1]).tolist()]
    board = leaderboard_check(ns, test_rows, labels)
    assert abs(board["accuracy"] - result["accuracy"]) < 1e-6, "evaluate() and the scorer disagree"
    return {"seed": seed, "epochs": len(history["val_loss"]), "best_epoch": history["best_epoch"],
            "train_wall_s": round(wall, 1), "train_cpu_s": round(cpu, 1),
            "load_avg_1min_at_start": round(load, 2),
            "val_accuracy": round(ns["evaluate"](model, val)["accuracy"], 4),
            "test_accuracy": round(result["accuracy"], 4),
            "test_macro_f1": round(result["macro_f1"], 4),
            "sklearn_macro_f1": round(board["macro_f1"], 4),
            "confusion": result["confusion"].tolist(), "csv_valid": board["valid"],
            "parameters": sum(p.numel() for p in model.parameters())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", help="dataset mirror root (default: $COURSEKIT_MIRROR)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--max-epochs", type=int, help="override TRAIN_CONFIG's max_epochs")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    ns = reference_namespace()
    train, test = load_split(args.mirror)
    fit_rows, val_rows = validation_split(rows_of(train))
    test_rows = rows_of(test)
    print(f"dna-splice: {len(fit_rows)} fit / {len(val_rows)} val / {len(test_rows)} test; "
          f"model {ns['MODEL_CONFIG']}; training {ns['TRAIN_CONFIG']}; "
          f"torch {torch.__version__}, {args.threads} threads, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs", flush=True)
    runs = []
    for seed in args.seeds:
        runs.append(run_once(ns, fit_rows, val_rows, test_rows, seed, args.max_epochs))
        print(json.dumps({k: v for k, v in runs[-1].items() if k != "confusion"}), flush=True)
        print(f"  confusion (rows true {ns['CLASSES']}, cols predicted): {runs[-1]['confusion']}",
              flush=True)
    if len(runs) > 1:
        accs = [r["test_accuracy"] for r in runs]
        print(f"test accuracy over seeds {args.seeds}: mean {sum(accs) / len(accs):.4f}, "
              f"min {min(accs):.4f}, max {max(accs):.4f}")
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "model": ns["MODEL_CONFIG"],
                                         "train": ns["TRAIN_CONFIG"]}, indent=2))


if __name__ == "__main__":
    main()
