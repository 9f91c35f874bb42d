"""Benchmark: the summarization reference on the mirror's BillSum (100 bills) and Multi-News
(200 clusters) samples.

Everything on the reference side is the graded code of solutions/summarization/summarization.ipynb
(clean_bill, split_articles, split_sentences, lead_k, centroid_summary, build_source, pad_labels,
beam_search, generate_summaries, train_seq2seq, rouge_scores, bootstrap_ci, novel_ngram_rate,
write_submission). The library baseline in the same run is the leaderboard's own pinned
baseline, `leaderboard.scoring.baselines.lead_n` (lead-3 of the raw text), scored by the same
rouge-score wrapper. Three parts:

1. extractive systems on every document of both samples: ROUGE-1/2/L/Lsum (F1 x 100) with 95%
   bootstrap intervals, summary length, novel-bigram rate, CPU seconds;
2. the offline abstractive model: an EncoderDecoderModel warm-started from the local MiniLM
   (HF_HUB_OFFLINE=1, HF_HUB_CACHE=/work/shared/hf-cache/hub), fine-tuned on the first bills
   with gradient accumulation, the best epoch by validation ROUGE-2, evaluated on held-out bills;
   the from-scratch beam search is checked token for token against `generate` on it;
3. the num_beams x length_penalty sweep on that model: ROUGE-2 and seconds per summary.

It also writes both leaderboard submission files and validates them with the leaderboard's
validator. Full run (about 10 CPU-minutes on one core):

    COURSEKIT_MIRROR=/work/shared/datasets HF_HUB_OFFLINE=1 HF_HUB_CACHE=/work/shared/hf-cache/hub \\
        nice -n 10 .venv/bin/python bench/summarization_bench.py
    .venv/bin/python bench/summarization_bench.py --no-model      # extractive part only
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

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "summarization" / "summarization.ipynb"
MINILM = "sentence-transformers/all-MiniLM-L6-v2"


def reference_namespace() -> dict:
    """The reference solution's graded code, executed in a fresh namespace."""
    source = graded_code(render(parse_solution(SOLUTION), solutions=True)).source
    namespace: dict = {"__name__": "summarization_reference"}
    exec(compile(source, str(SOLUTION), "exec"), namespace)  # noqa: S102 - our own solution
    return namespace


def evaluate(ref: dict, name: str, predictions: list[str], references: list[str], sources: list[str],
             cpu: float) -> dict:
    """ROUGE means with bootstrap CIs, length and novel bigrams of one system; printed and returned."""
    scores = ref["rouge_scores"](predictions, references)
    row = {"system": name, "n": len(predictions), "cpu_s": round(cpu, 2)}
    for t in ref["ROUGE_TYPES"]:
        mean, low, high = ref["bootstrap_ci"](scores[t], n_resamples=1000, seed=0)
        row[t] = [round(mean, 2), round(low, 2), round(high, 2)]
    row["words"] = round(float(np.mean([len(p.split()) for p in predictions])), 1)
    row["novel_bigrams"] = round(float(np.mean([ref["novel_ngram_rate"](p, s) for p, s in
                                                zip(predictions, sources, strict=True)])), 3)
    cells = "  ".join(f"{t} {row[t][0]:5.2f} [{row[t][1]:5.2f},{row[t][2]:5.2f}]" for t in ref["ROUGE_TYPES"])
    print(f"{name:<34} {cells}  words {row['words']:6.1f}  novel2 {row['novel_bigrams']:.2f}  cpu {cpu:6.1f}s",
          flush=True)
    return row


def timed(fn):
    start = time.process_time()
    return fn(), time.process_time() - start


def extractive(ref: dict, bills: list[dict], news: list[dict]) -> list[dict]:
    from leaderboard.scoring.baselines import lead_n

    bill_docs = [b["document"] for b in bills]
    clean = [ref["clean_bill"](d) for d in bill_docs]
    news_docs = [n["document"] for n in news]
    news_articles = [ref["split_articles"](n["document"]) for n in news]
    systems = [
        ("billsum: lead-3 (leaderboard lead_n)", lambda: [lead_n(d, 3) for d in bill_docs], bills, bill_docs),
        ("billsum: lead-3 of clean_bill", lambda: [ref["lead_k"]([c], 3) for c in clean], bills, clean),
        ("billsum: centroid-3 of clean_bill",
         lambda: [ref["centroid_summary"](ref["split_sentences"](c), 3) for c in clean], bills, clean),
        ("multi-news: lead-3 (leaderboard lead_n)", lambda: [lead_n(d, 3) for d in news_docs], news, news_docs),
        ("multi-news: lead-3 per article", lambda: [ref["lead_k"](a, 3) for a in news_articles], news, news_docs),
        ("multi-news: lead-1 per article", lambda: [ref["lead_k"](a, 1) for a in news_articles], news, news_docs),
        ("multi-news: centroid-9",
         lambda: [ref["centroid_summary"](ref["split_sentences"]("\n".join(a)), 9) for a in news_articles],
         news, news_docs),
    ]
    rows = []
    for name, fn, records, sources in systems:
        preds, cpu = timed(fn)
        rows.append(evaluate(ref, name, preds, [r["summary"] for r in records], sources, cpu))
    return rows


def submissions(ref: dict, bills: list[dict], news: list[dict]) -> dict:
    """Write and validate both leaderboard files with the best extractive system of each task."""
    from leaderboard.validate import validate_submission

    out = Path(tempfile.mkdtemp())
    files = {
        "billsum": ([b["id"] for b in bills], [ref["centroid_summary"](ref["split_sentences"](
            ref["clean_bill"](b["document"])), 3) for b in bills]),
        "multi-news": ([n["id"] for n in news], [ref["lead_k"](ref["split_articles"](n["document"]), 3)
                                                 for n in news]),
    }
    reports = {}
    for task, (ids, summaries) in files.items():
        ref["write_submission"](ids, summaries, out / f"{task}.csv")
        report = validate_submission(task, out / f"{task}.csv", ids)
        reports[task] = {"ok": report.ok, "problems": report.problems, "file": str(out / f"{task}.csv")}
        print(f"leaderboard {task}: {'valid' if report.ok else report.problems} ({out / f'{task}.csv'})")
    return reports


def warm_started(ref: dict):
    import torch
    import transformers

    transformers.logging.set_verbosity_error()
    tokenizer = transformers.AutoTokenizer.from_pretrained(MINILM)
    torch.manual_seed(0)
    model = transformers.EncoderDecoderModel.from_encoder_decoder_pretrained(MINILM, MINILM)
    for cfg in (model.config, model.generation_config):
        cfg.decoder_start_token_id = tokenizer.cls_token_id
        cfg.pad_token_id = tokenizer.pad_token_id
        cfg.eos_token_id = tokenizer.sep_token_id
    return tokenizer, model


def model_part(ref: dict, bills: list[dict], args) -> dict:
    import torch
    import transformers

    tokenizer, model = warm_started(ref)
    collator = transformers.DataCollatorForSeq2Seq(tokenizer, label_pad_token_id=ref["LABEL_PAD"])

    def feats(bill):
        body = tokenizer(ref["clean_bill"](bill["document"]), add_special_tokens=False)["input_ids"]
        ends = tokenizer("")["input_ids"]  # [CLS, SEP] for BERT, [<s>, </s>] for BART, [</s>] for T5
        source = ends[:-1] + body[:args.max_source - len(ends)] + ends[-1:]
        labels = tokenizer(bill["summary"], max_length=args.max_target, truncation=True)["input_ids"]
        return {"input_ids": source, "attention_mask": [1] * len(source), "labels": labels}

    def batches(records):
        fs = [feats(r) for r in records]
        return [dict(collator(fs[i:i + args.batch_size])) for i in range(0, len(fs), args.batch_size)]

    train, val, test = bills[:args.train], bills[80:85], bills[85:100]
    gen = dict(max_source_length=args.max_source, num_beams=1, max_length=args.max_target,
               no_repeat_ngram_size=3)

    def val_rouge2(m):
        preds = ref["generate_summaries"](m, tokenizer, [ref["clean_bill"](b["document"]) for b in val], **gen)
        return float(np.mean(ref["rouge_scores"](preds, [b["summary"] for b in val])["rouge2"]))

    history, train_cpu = timed(lambda: ref["train_seq2seq"](
        model, batches(train), batches(val), epochs=args.epochs, lr=args.lr, accum_steps=2,
        score_fn=val_rouge2, progress=False))
    print(f"fine-tuning: {history} ({train_cpu:.0f} CPU s)", flush=True)
    docs = [ref["clean_bill"](b["document"]) for b in test]
    preds, cpu = timed(lambda: ref["generate_summaries"](model, tokenizer, docs, **{**gen, "num_beams": 4}))
    row = evaluate(ref, "billsum: MiniLM warm-start, 4 beams", preds, [b["summary"] for b in test], docs, cpu)
    enc = tokenizer(docs[0], max_length=args.max_source, truncation=True, return_tensors="pt")
    settings = dict(num_beams=4, max_length=40, min_length=10, length_penalty=1.0, no_repeat_ngram_size=3)
    same = torch.equal(ref["beam_search"](model, enc["input_ids"], enc["attention_mask"], **settings),
                       model.generate(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], **settings))
    print(f"beam_search == generate on the warm-started model: {same}", flush=True)
    sweep = []
    for beams in [1, 2, 4]:
        for lp in [0.5, 1.0, 2.0]:
            start = time.perf_counter()
            out = ref["generate_summaries"](model, tokenizer, docs, **{**gen, "num_beams": beams, "length_penalty": lp})
            seconds = (time.perf_counter() - start) / len(docs)
            r2 = float(np.mean(ref["rouge_scores"](out, [b["summary"] for b in test])["rouge2"]))
            words = float(np.mean([len(p.split()) for p in out]))
            sweep.append({"num_beams": beams, "length_penalty": lp, "rouge2": round(r2, 2),
                          "s_per_summary": round(seconds, 3), "words": round(words, 1)})
            print(f"sweep beams {beams} lp {lp}: ROUGE-2 {r2:5.2f}  {seconds:.3f} s/summary  {words:.1f} words",
                  flush=True)
    return {"history": history, "train_cpu_s": round(train_cpu, 1), "test": row,
            "beam_search_equals_generate": same, "sweep": sweep, "example": preds[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-model", action="store_true", help="extractive systems only")
    parser.add_argument("--train", type=int, default=40, help="training bills (of the first 80)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--max-source", type=int, default=256)
    parser.add_argument("--max-target", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench" / "summarization.json")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    from datasets_manifest import load_billsum, load_multi_news

    ref = reference_namespace()
    bills, news = load_billsum("train"), load_multi_news("test")
    print(f"{len(bills)} bills, {len(news)} news clusters; {platform.processor() or platform.machine()}, "
          f"torch threads {args.threads}", flush=True)
    result = {"extractive": extractive(ref, bills, news), "leaderboard": submissions(ref, bills, news)}
    if not args.no_model:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        result["model"] = model_part(ref, bills, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
