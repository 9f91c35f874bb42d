"""Benchmark: the finetune reference fine-tunes a pretrained encoder (MiniLM-L6 by default) on
SST-2 and on SMS Spam, beside a TF-IDF + logistic-regression baseline (scikit-learn) on the same
splits, in the same run.

The fine-tuning side is the reference solution itself (the graded code of
solutions/finetune/finetune.ipynb: stratified_split, tokenize_dataset, make_loader, fit,
predict, classification_metrics, load_classifier, best_threshold), so the figures are what a
correct student notebook reaches. SST-2 uses its official train / dev / test sentences; SMS Spam
is deduplicated (5,574 -> 5,171 texts) and split stratified into train / 500 validation / 1,000
test (seed 0). The model is read offline from the hub cache (HF_HUB_OFFLINE=1,
HF_HUB_CACHE=<mirror>/../hf-cache/hub); any hub id works with --model when online.

    COURSEKIT_MIRROR=/work/shared/datasets OMP_NUM_THREADS=1 nice -n 10 \\
        .venv/bin/python bench/finetune_bench.py --threads 2
    .venv/bin/python bench/finetune_bench.py --tasks sms --max-train 1000       # quick look
    .venv/bin/python bench/finetune_bench.py --device cuda --amp                # fp16 on a GPU
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

from autograder.build.markup import parse_solution
from autograder.build.render import render
from autograder.extract import graded_code
from datasets_manifest.models import configure_hub_cache, default_hub_cache

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "finetune" / "finetune.ipynb"
TASKS = {"sst2": ["negative", "positive"], "sms": ["ham", "spam"]}


def reference_namespace() -> dict:
    """The reference solution's graded code, executed in a fresh namespace."""
    source = graded_code(render(parse_solution(SOLUTION), solutions=True)).source
    namespace: dict = {"__name__": "finetune_reference"}
    exec(compile(source, str(SOLUTION), "exec"), namespace)  # noqa: S102 - our own solution
    return namespace


def load_task(ref: dict, task: str, seed: int) -> dict:
    """{"train"|"validation"|"test": (texts, labels int64)} for one task."""
    from datasets_manifest import load_sms_spam, load_sst2

    if task == "sst2":
        return {name: ([t for t, _ in rows], np.array([y for _, y in rows], dtype=np.int64))
                for name, rows in [(s, load_sst2(split)) for s, split in
                                   [("train", "train"), ("validation", "dev"), ("test", "test")]]}
    rows = load_sms_spam()
    labels = np.array([int(y == "spam") for y, _ in rows])
    return ref["stratified_split"]([t for _, t in rows], labels, 500, 1000, seed)


def tfidf_baseline(parts: dict) -> tuple[dict, float]:
    """TF-IDF (word 1-2 grams) + logistic regression (C tuned on validation macro-F1)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    start = time.process_time()
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)
    X_train = vectorizer.fit_transform(parts["train"][0])
    X_val, X_test = vectorizer.transform(parts["validation"][0]), vectorizer.transform(parts["test"][0])
    best = None
    for c in [0.3, 1.0, 3.0, 10.0, 30.0]:
        clf = LogisticRegression(C=c, max_iter=2000).fit(X_train, parts["train"][1])
        score = f1_score(parts["validation"][1], clf.predict(X_val), average="macro")
        if best is None or score > best[0]:
            best = (score, c, clf)
    pred = best[2].predict(X_test)
    y = parts["test"][1]
    figures = {"C": best[1], "accuracy": accuracy_score(y, pred), "macro_f1": f1_score(y, pred, average="macro"),
               "f1_pos": f1_score(y, pred)}
    return figures, time.process_time() - start


def finetune(ref: dict, parts: dict, names: list[str], args) -> tuple[dict, float]:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    start = time.process_time()
    torch.manual_seed(args.seed)
    id2label, label2id = ref["label_maps"](names)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    train = parts["train"]
    if args.max_train:
        train = (train[0][:args.max_train], train[1][:args.max_train])
    data = {name: ref["tokenize_dataset"](t, y, tokenizer, args.max_length)
            for name, (t, y) in [("train", train), ("validation", parts["validation"]), ("test", parts["test"])]}
    loaders = {name: ref["make_loader"](ds, tokenizer, batch_size=args.batch_size if name == "train" else 128,
                                        shuffle=name == "train", seed=args.seed) for name, ds in data.items()}
    model = AutoModelForSequenceClassification.from_pretrained(args.model, num_labels=len(names),
                                                               id2label=id2label, label2id=label2id)
    model.to(args.device)
    untrained = ref["predict"](model, loaders["test"]) if args.untrained else None
    out = tempfile.mkdtemp(prefix="finetune-bench-")
    history = ref["fit"](model, tokenizer, loaders["train"], loaders["validation"], out, epochs=args.epochs,
                         lr=args.lr, accumulation_steps=args.accumulation, use_amp=args.amp, progress=True)
    best, _ = ref["load_classifier"](out)
    best.to(args.device)
    logits, y = ref["predict"](best, loaders["test"])
    m = ref["classification_metrics"](y.numpy(), logits.argmax(-1).numpy(), len(names))
    val_logits, y_val = ref["predict"](best, loaders["validation"])
    t, _ = ref["best_threshold"](y_val.numpy(), torch.softmax(val_logits, -1)[:, 1].numpy())
    tuned = ref["classification_metrics"](y.numpy(), (torch.softmax(logits, -1)[:, 1].numpy() >= t).astype(int), 2)
    figures = {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"], "f1_pos": float(m["f1"][1]),
               "untrained_head_accuracy": (float((untrained[0].argmax(-1) == untrained[1]).float().mean())
                                           if untrained is not None else None),
               "threshold_tuned": {"threshold": t, "accuracy": tuned["accuracy"], "f1_pos": float(tuned["f1"][1])},
               "history": history, "train_examples": len(train[0])}
    return figures, time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", nargs="+", default=list(TASKS), choices=list(TASKS))
    parser.add_argument("--model", default="sentence-transformers/all-MiniLM-L6-v2")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--max-train", type=int, default=0, help="cap the training set (0: all)")
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=16, help="micro-batch size")
    parser.add_argument("--accumulation", type=int, default=2, help="micro-batches per optimizer step")
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--amp", action="store_true", help="autocast (bf16 on CPU, fp16 on CUDA)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-untrained", dest="untrained", action="store_false",
                        help="skip scoring the test set with the untrained head (saves one pass)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    cache = default_hub_cache()
    if cache is not None:
        configure_hub_cache(cache)
    import torch

    torch.set_num_threads(args.threads)
    ref = reference_namespace()
    report = {"model": args.model, "config": {k: str(v) for k, v in vars(args).items()},
              "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, torch threads {args.threads}"}
    for task in args.tasks:
        parts = load_task(ref, task, args.seed)
        baseline, base_cpu = tfidf_baseline(parts)
        tuned, tuned_cpu = finetune(ref, parts, TASKS[task], args)
        report[task] = {"sizes": {k: len(v[0]) for k, v in parts.items()},
                        "tfidf_logreg": {**baseline, "cpu_s": round(base_cpu, 1)},
                        "finetuned": {**tuned, "cpu_s": round(tuned_cpu, 1)}}
        print(f"{task}: TF-IDF+LR acc {baseline['accuracy']:.4f} F1(pos) {baseline['f1_pos']:.4f} ({base_cpu:.0f} CPU-s) | "
              f"{args.model.split('/')[-1]} acc {tuned['accuracy']:.4f} F1(pos) {tuned['f1_pos']:.4f} "
              f"(untrained head {tuned['untrained_head_accuracy']}; {tuned_cpu:.0f} CPU-s)", flush=True)
    text = json.dumps(report, indent=2, default=float)
    print(text)
    if args.json:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
