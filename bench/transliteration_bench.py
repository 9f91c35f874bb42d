"""Benchmark: the transliteration reference on Dakshina Hindi (romanized -> Devanagari).

The model and every step are the reference solution's own code: the graded code of
solutions/transliteration/transliteration.ipynb (extracted as the grader does) —
`build_vocab`/`encode`/`decode`, `make_batches` (length buckets), `TransliterationTransformer`
(torch's nn.Transformer, batch first), `label_smoothed_loss`, `noam_lr`, `train_epoch`,
`EarlyStopping` on the dev character error rate, `greedy_decode`, `beam_search` and the
multi-reference metrics. It trains on the 44,204 training pairs, selects the epoch on dev and
reports the official test split (4,442 romanized words, every attested spelling accepted) with
greedy decoding and beam search side by side, next to a baseline in the same run: looking the
romanized word up in the training lexicon (its most attested spelling), falling back to the
model's greedy output for unseen words. CPU time is the process's (all threads).

    COURSEKIT_MIRROR=/work/shared/datasets nice -n 10 .venv/bin/python bench/transliteration_bench.py --threads 2
    .venv/bin/python bench/transliteration_bench.py --subset 4000 --epochs 1 --test-words 300   # quick look
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "transliteration" / "transliteration.ipynb"


def reference_namespace() -> dict:
    """The reference solution's graded code, executed in a fresh namespace."""
    from autograder.build.markup import parse_solution
    from autograder.build.render import render
    from autograder.extract import graded_code

    source = graded_code(render(parse_solution(SOLUTION), solutions=True)).source
    namespace: dict = {"__name__": "transliteration_reference"}
    exec(compile(source, str(SOLUTION), "exec"), namespace)  # noqa: S102 - our own solution
    return namespace


def grouped(rows: list[tuple[str, str, int]], norm) -> tuple[list[str], list[list[str]]]:
    """(sources, refs): each romanized word once with its attested spellings, most attested first."""
    refs: dict[str, list[str]] = defaultdict(list)
    for native, latin, _ in sorted(rows, key=lambda r: -r[2]):
        if norm(native) not in refs[norm(latin)]:
            refs[norm(latin)].append(norm(native))
    sources = sorted(refs)
    return sources, [refs[s] for s in sources]


def predict(ns: dict, model, words: list[str], src_stoi: dict, tgt_vocab: list[str], beam: int,
            alpha: float) -> list[str]:
    import torch

    preds = []
    for i in range(0, len(words), 256):
        chunk = words[i:i + 256]
        src = ns["pad_batch"]([ns["encode"](w, src_stoi) for w in chunk])
        if beam == 1:
            preds += [ns["decode"](ids, tgt_vocab) for ids in ns["greedy_decode"](model, src, 30)]
        else:
            for w in chunk:
                one = torch.tensor([ns["encode"](w, src_stoi)])
                preds.append(ns["decode"](ns["beam_search"](model, one, beam, 30, alpha)[0], tgt_vocab))
    return preds


def scores(ns: dict, preds: list[str], refs: list[list[str]]) -> dict:
    return {"word_accuracy": round(ns["word_accuracy"](preds, refs), 4),
            "cer": round(ns["char_error_rate"](preds, refs), 4),
            "mean_f": round(ns["mean_f_score"](preds, refs), 4)}


def train(ns: dict, args, pairs, src_stoi, tgt_stoi, tgt_vocab, dev_src, dev_refs, model) -> list[dict]:
    import torch
    from tqdm import tqdm

    src_ids = [ns["encode"](a, src_stoi) for a, _ in pairs]
    tgt_ids = [ns["encode"](b, tgt_stoi, True) for _, b in pairs]
    optimizer = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
    stopper, step, best, history = ns["EarlyStopping"](args.patience), 0, None, []
    for epoch in (bar := tqdm(range(args.epochs), desc="epochs")):
        order = ns["make_batches"]([len(t) for t in tgt_ids], args.batch_size, seed=epoch)
        batches = [(ns["pad_batch"]([src_ids[i] for i in b]), ns["pad_batch"]([tgt_ids[i] for i in b]))
                   for b in order]
        loss, step = ns["train_epoch"](model, optimizer, batches, step, warmup=args.warmup,
                                       scale=args.scale, smoothing=0.1)
        dev = scores(ns, predict(ns, model, dev_src, src_stoi, tgt_vocab, 1, 0.0), dev_refs)
        history.append({"epoch": epoch, "loss": round(loss, 4), "cpu_s": round(time.process_time()), **dev})
        bar.set_postfix(loss=f"{loss:.3f}", dev_cer=dev["cer"], dev_acc=dev["word_accuracy"])
        stop = stopper.step(dev["cer"])
        if stopper.best_epoch == epoch:
            best = copy.deepcopy(model.state_dict())
        if stop or (args.cpu_budget and time.process_time() > args.cpu_budget):
            break
    model.load_state_dict(best)
    return history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--d-model", type=int, default=128)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--dim-ff", type=int, default=512)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--embed-std", type=float, default=None,
                        help="re-initialise both embeddings as N(0, std^2); default d_model ** -0.5, "
                             "0 keeps nn.Embedding's N(0, 1)")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--alpha", type=float, default=0.6)
    parser.add_argument("--subset", type=int, default=0, help="train on the first N pairs only")
    parser.add_argument("--test-words", type=int, default=0, help="score the first N test words only")
    parser.add_argument("--dev-words", type=int, default=0, help="select the epoch on the first N dev words only")
    parser.add_argument("--cpu-budget", type=float, default=0, help="stop training after this much CPU time (s)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    import torch

    from datasets_manifest import load_dakshina_hindi

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    ns = reference_namespace()
    norm = ns["normalize"]
    rows = {s: load_dakshina_hindi(s) for s in ("train", "dev", "test")}
    pairs = [(norm(latin), norm(native)) for native, latin, _ in rows["train"]]
    if args.subset:
        pairs = pairs[::max(1, len(pairs) // args.subset)][:args.subset]
    src_vocab, tgt_vocab = ns["build_vocab"](a for a, _ in pairs), ns["build_vocab"](b for _, b in pairs)
    src_stoi = {c: i for i, c in enumerate(src_vocab)}
    tgt_stoi = {c: i for i, c in enumerate(tgt_vocab)}
    dev_src, dev_refs = grouped(rows["dev"], norm)
    test_src, test_refs = grouped(rows["test"], norm)
    if args.dev_words:
        dev_src, dev_refs = dev_src[:args.dev_words], dev_refs[:args.dev_words]
    if args.test_words:
        test_src, test_refs = test_src[:args.test_words], test_refs[:args.test_words]

    model = ns["TransliterationTransformer"](len(src_vocab), len(tgt_vocab), args.d_model, 4, args.layers,
                                             args.dim_ff, 0.1)
    embed_std = args.d_model ** -0.5 if args.embed_std is None else args.embed_std
    if embed_std:  # x sqrt(d_model) on N(0, 1) rows drowns the positional encoding
        for embedding in (model.src_embed, model.tgt_embed):
            torch.nn.init.normal_(embedding.weight, 0.0, embed_std)
    n_params = sum(p.numel() for p in model.parameters())
    start, wall = time.process_time(), time.time()
    history = train(ns, args, pairs, src_stoi, tgt_stoi, tgt_vocab, dev_src, dev_refs, model)
    train_cpu = time.process_time() - start
    results = {}
    for name, beam in [("greedy", 1), (f"beam {args.beam}", args.beam)]:
        t0 = time.process_time()
        preds = predict(ns, model, test_src, src_stoi, tgt_vocab, beam, args.alpha)
        results[name] = {**scores(ns, preds, test_refs), "decode_cpu_s": round(time.process_time() - t0)}
        if beam == 1:
            greedy = preds
    lexicon: dict[str, Counter] = defaultdict(Counter)
    for native, latin, count in rows["train"]:
        lexicon[norm(latin)][norm(native)] += count
    lookup = [lexicon[w].most_common(1)[0][0] if w in lexicon else g
              for w, g in zip(test_src, greedy, strict=True)]
    results["baseline: training-lexicon lookup, else greedy"] = {
        **scores(ns, lookup, test_refs), "test_words_in_lexicon": sum(w in lexicon for w in test_src)}
    report = {"config": vars(args) | {"out": str(args.out)}, "parameters": n_params,
              "train_pairs": len(pairs), "test_words": len(test_src), "epochs_run": len(history),
              "best_epoch": min(range(len(history)), key=lambda i: history[i]["cer"]),
              "train_cpu_s": round(train_cpu), "wall_s": round(time.time() - wall),
              "load_average": os.getloadavg(), "history": history, "test": results}
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
