"""Benchmark: the gpt reference model on Tiny Shakespeare (characters), next to Hugging Face's
GPT2LMHeadModel of the same size trained by the same loop, in the same run; then the KV cache's
speed-up on 500 generated tokens.

Everything is the reference solution's own graded code (solutions/gpt/gpt.ipynb, extracted as the
grader does): `build_vocab`, `encode`, `train_val_split` (last 10% for validation), `get_batch`,
`GPT`, `configure_optimizer` (AdamW, decay 0.1 on matrices only), `lr_at` (100 warm-up steps,
cosine to lr/10), `train_step` (clipping at 1.0), `estimate_loss` and `generate`. The configuration
is nanoGPT's documented CPU one (4 layers, 4 heads, 128 dimensions, context 64, batch 12, lr 1e-3,
2,000 iterations), whose README reports val loss 1.88. The final val loss is measured on 200 fixed
validation batches of 12 (nanoGPT's eval_iters=200 would draw them at random each time). CPU time is
the process's (all threads); wall time depends on the machine's load, printed too.

    COURSEKIT_MIRROR=/work/shared/datasets nice -n 10 .venv/bin/python bench/gpt_bench.py --threads 2
    .venv/bin/python bench/gpt_bench.py --iters 200 --no-baseline        # quick look
    .venv/bin/python bench/gpt_bench.py --iters 9600 --lr 2e-3 --no-baseline  # the 10-minute budget
    .venv/bin/python bench/gpt_bench.py --device cuda --iters 5000 --n-layer 6 --n-embd 384 --block-size 256 --batch-size 64
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "gpt" / "gpt.ipynb"


def reference_namespace(path: Path | None = None) -> dict:
    """The reference solution's graded code (or the graded-code file `path`), executed fresh."""
    if path is not None:
        source = path.read_text()
    else:
        from autograder.build.markup import parse_solution
        from autograder.build.render import render
        from autograder.extract import graded_code

        source = graded_code(render(parse_solution(SOLUTION), solutions=True)).source
    namespace: dict = {"__name__": "gpt_reference"}
    exec(compile(source, str(SOLUTION), "exec"), namespace)  # noqa: S102 - our own solution
    return namespace


def hf_model(vocab_size: int, args: argparse.Namespace):
    """Hugging Face GPT2LMHeadModel of the same architecture, wrapped to return logits."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    config = GPT2Config(vocab_size=vocab_size, n_positions=args.block_size, n_layer=args.n_layer,
                        n_head=args.n_head, n_embd=args.n_embd, resid_pdrop=0.0, embd_pdrop=0.0,
                        attn_pdrop=0.0, bos_token_id=0, eos_token_id=0)

    class Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.hf = GPT2LMHeadModel(config)

        def forward(self, idx):
            return self.hf(idx).logits

    return Logits()


def train(ref: dict, name: str, model, data: dict, args: argparse.Namespace) -> dict:
    import torch

    model = model.to(args.device)
    optimizer = ref["configure_optimizer"](model, args.lr, 0.1, (0.9, 0.99))
    batches = torch.Generator().manual_seed(args.seed)
    evals = torch.Generator().manual_seed(args.seed + 1)
    fixed = [tuple(t.to(args.device) for t in ref["get_batch"](data["val"], args.block_size, args.batch_size, evals))
             for _ in range(args.eval_batches)]
    wall, cpu, curve = time.perf_counter(), time.process_time(), []
    for step in range(args.iters):
        x, y = (t.to(args.device) for t in ref["get_batch"](data["train"], args.block_size, args.batch_size, batches))
        lr = ref["lr_at"](step, args.lr, args.lr / 10, args.warmup, args.iters)
        loss, _ = ref["train_step"](model, optimizer, x, y, lr, 1.0)
        if (step + 1) % args.log_every == 0:
            curve.append((step + 1, loss))
            print(f"  {name} step {step + 1}: batch loss {loss:.3f} ({time.perf_counter() - wall:.0f} s wall, "
                  f"{time.process_time() - cpu:.0f} s CPU, load {os.getloadavg()[0]:.1f})", flush=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    val = ref["estimate_loss"](model, fixed)
    return {"val_loss": val, "parameters": sum(p.numel() for p in model.parameters()), "train_wall_s": wall,
            "train_cpu_s": cpu, "curve": curve}


def kv_cache_speed(ref: dict, vocab_size: int, args: argparse.Namespace) -> dict:
    """500 new tokens with and without the cache from one seeded model, same generator seed."""
    import torch

    torch.manual_seed(args.seed)
    model = ref["GPT"](vocab_size, args.gen_tokens + 8, args.n_layer, args.n_head, args.n_embd).to(args.device)
    prompt = torch.zeros(1, 1, dtype=torch.int64, device=args.device)
    out = {}
    for use_cache in (False, True):
        gen = torch.Generator(device=args.device).manual_seed(args.seed)
        wall, cpu = time.perf_counter(), time.process_time()
        tokens = ref["generate"](model, prompt, args.gen_tokens, gen, use_cache=use_cache)
        out[use_cache] = (time.perf_counter() - wall, time.process_time() - cpu, tokens)
    return {"tokens": args.gen_tokens, "identical": bool(torch.equal(out[False][2], out[True][2])),
            "no_cache_wall_s": out[False][0], "cache_wall_s": out[True][0],
            "no_cache_cpu_s": out[False][1], "cache_cpu_s": out[True][1],
            "speedup_wall": out[False][0] / out[True][0], "speedup_cpu": out[False][1] / max(out[True][1], 1e-9)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--iters", type=int, default=2000)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--batch-size", type=int, default=12)
    p.add_argument("--block-size", type=int, default=64)
    p.add_argument("--n-layer", type=int, default=4)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--n-embd", type=int, default=128)
    p.add_argument("--eval-batches", type=int, default=200)
    p.add_argument("--gen-tokens", type=int, default=500)
    p.add_argument("--log-every", type=int, default=250)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu")
    p.add_argument("--no-baseline", action="store_true", help="skip Hugging Face's GPT2LMHeadModel")
    p.add_argument("--no-reference", action="store_true", help="train only the baseline (e.g. in a second process)")
    p.add_argument("--no-generation", action="store_true")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", type=Path)
    p.add_argument("--reference", type=Path, help="graded-code file to use instead of the solution notebook")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    import torch

    from datasets_manifest import load_tiny_shakespeare

    torch.set_num_threads(args.threads)
    ref = reference_namespace(args.reference)
    text = load_tiny_shakespeare()
    stoi, itos = ref["build_vocab"](text)
    train_data, val_data = ref["train_val_split"](torch.tensor(ref["encode"](text, stoi)), 0.1)
    data = {"train": train_data, "val": val_data}
    print(f"Tiny Shakespeare: {len(itos)} characters, {len(train_data):,} train / {len(val_data):,} val tokens; "
          f"{args.iters} iterations, batch {args.batch_size}, context {args.block_size}, {args.n_layer} layers, "
          f"{args.n_head} heads, {args.n_embd} dims; {args.threads} threads, device {args.device}; torch "
          f"{torch.__version__}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    results = {"config": vars(args) | {"json": None, "reference": None}}
    runs = [] if args.no_reference else [
        ("reference", lambda: ref["GPT"](len(itos), args.block_size, args.n_layer, args.n_head, args.n_embd))]
    if not args.no_baseline:
        runs.append(("hf_gpt2", lambda: hf_model(len(itos), args)))
    for name, make in runs:
        torch.manual_seed(args.seed)
        results[name] = r = train(ref, name, make(), data, args)
        print(f"{name}: val loss {r['val_loss']:.4f} ({r['parameters']:,} parameters); training "
              f"{r['train_wall_s']:.0f} s wall, {r['train_cpu_s']:.0f} s CPU", flush=True)
    if not args.no_generation:
        results["kv_cache"] = k = kv_cache_speed(ref, len(itos), args)
        print(f"generation of {k['tokens']} tokens: {k['no_cache_wall_s']:.2f} s without the cache, "
              f"{k['cache_wall_s']:.2f} s with it ({k['speedup_wall']:.1f}x wall, {k['speedup_cpu']:.1f}x CPU); "
              f"identical tokens: {k['identical']}", flush=True)
    print(f"load average at the end: {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
