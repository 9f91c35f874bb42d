"""The student side of the grading protocol: a namespace of student code answering requests.

This file is self-contained (standard library + NumPy; torch when the assignment uses it)
because the grader copies it alone into the sandbox and runs it there as the worker:

    python -I session.py SUBMISSION_PY IN_FD OUT_FD PRELOAD

The trusted grader sends requests ({"op": ..., ...}) and gets back values. Values travel as JSON
plus one `.npz` blob for arrays (written with `np.savez`, read with `allow_pickle=False`), never
pickle. Objects that are not values stay here and travel as handles ({"__h__": id}).
The trusted side decodes what comes back with caps (`autograder.runtime.limits.DecodeLimits`,
passed to `unpack`): JSON size, element count and depth, no compressed `.npz` members, every
array's declared size checked against its stored bytes before anything is allocated.
The same `Session` class serves the in-process self-check (see `autograder.adapter`).
"""

from __future__ import annotations

import importlib
import io
import json
import os
import struct
import sys
import traceback
import types

import numpy as np

MAX_MESSAGE = 512 * 1024 * 1024
PROTOCOL = 1


def _torch():
    return sys.modules.get("torch")


class Codec:
    """Turns values into (json-able tree, arrays) and back. `resolve`/`register` map handles."""

    def __init__(self, register=None, resolve=None):
        self.register = register
        self.resolve = resolve

    def encode(self, obj, arrays: list):
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return obj
        if isinstance(obj, np.generic):
            return obj.item()
        if isinstance(obj, np.ndarray):
            if obj.dtype == object:
                raise TypeError("object arrays cannot be sent")
            arrays.append(_contiguous(obj))
            return {"__nd__": len(arrays) - 1}
        torch = _torch()
        if torch is not None and isinstance(obj, torch.Tensor):
            t = obj.detach().cpu()
            if t.dtype == torch.bfloat16:
                t = t.float()
            arrays.append(_contiguous(t.numpy()))
            return {"__pt__": len(arrays) - 1}
        if isinstance(obj, list):
            return [self.encode(x, arrays) for x in obj]
        if isinstance(obj, tuple):
            return {"__tuple__": [self.encode(x, arrays) for x in obj]}
        if isinstance(obj, dict):
            items = [[self.encode(k, arrays), self.encode(v, arrays)] for k, v in obj.items()]
            return {"__dict__": items}
        handle_id = getattr(obj, "_coursekit_handle_id", None)
        if handle_id is not None:
            return {"__h__": handle_id}
        if self.register is None:
            raise TypeError(f"cannot send a {type(obj).__name__}: only values and handles travel")
        return {"__h__": self.register(obj), "type": type(obj).__name__}

    def decode(self, tree, arrays):
        if isinstance(tree, list):
            return [self.decode(x, arrays) for x in tree]
        if not isinstance(tree, dict):
            return tree
        if "__nd__" in tree:
            return arrays[f"arr_{tree['__nd__']}"]
        if "__pt__" in tree:
            return _as_tensor(arrays[f"arr_{tree['__pt__']}"])
        if "__tuple__" in tree:
            return tuple(self.decode(x, arrays) for x in tree["__tuple__"])
        if "__dict__" in tree:
            return {self.decode(k, arrays): self.decode(v, arrays) for k, v in tree["__dict__"]}
        if "__h__" in tree:
            return self.resolve(tree)
        raise ValueError(f"unknown value tag in {sorted(tree)}")


def _contiguous(array: np.ndarray) -> np.ndarray:
    """C-contiguous copy that keeps 0-d arrays 0-d (np.ascontiguousarray makes them 1-d)."""
    return np.ascontiguousarray(array).reshape(array.shape)


def _as_tensor(array):
    torch = _torch()
    if torch is None:
        import torch  # noqa: PLC0415 - only assignments that send tensors need torch
    return torch.from_numpy(np.array(array, copy=True))


def pack(message: dict, codec: Codec) -> bytes:
    """Serialise a message; its "value" field (any value) is encoded by `codec`."""
    arrays: list = []
    body = dict(message)
    if "value" in body:
        body["value"] = codec.encode(body["value"], arrays)
    header = json.dumps(body, allow_nan=True).encode()
    blob = io.BytesIO()
    if arrays:
        np.savez(blob, *arrays)
    data = blob.getvalue()
    return struct.pack("<QQ", len(header), len(data)) + header + data


def unpack(frame: bytes, codec: Codec, limits=None) -> dict:
    """Inverse of `pack`: arrays are read with allow_pickle=False. `limits` (the trusted side:
    a `DecodeLimits`) checks the parts before they are decoded and raises ValueError."""
    header_len, data_len = struct.unpack("<QQ", frame[:16])
    if header_len + data_len + 16 != len(frame):
        raise ValueError("malformed frame: lengths do not add up")
    if limits is not None:
        limits.check_json_size(header_len)
    body = json.loads(frame[16 : 16 + header_len])
    if limits is not None:
        limits.check_tree(body)
    arrays = {}
    if data_len:
        blob = frame[16 + header_len :]
        if limits is not None:
            limits.check_npz(blob)
        arrays = dict(np.load(io.BytesIO(blob), allow_pickle=False))
    if "value" in body:
        body["value"] = codec.decode(body["value"], arrays)
    return body


def read_frame(read_exact) -> bytes:
    head = read_exact(16)
    header_len, data_len = struct.unpack("<QQ", head)
    if header_len + data_len > MAX_MESSAGE:
        raise ValueError(f"message of {header_len + data_len} bytes exceeds the limit")
    return head + read_exact(header_len + data_len)


class Session:
    """Answers requests against one namespace of student code."""

    def __init__(self, namespace: dict, source: str = ""):
        self.namespace = namespace
        self.source = source
        self.objects: dict[int, object] = {}
        self.codec = Codec(register=self._register, resolve=lambda t: self.objects[t["__h__"]])

    def _register(self, obj) -> int:
        handle_id = len(self.objects) + 1
        self.objects[handle_id] = obj
        return handle_id

    def handle(self, request: dict):
        """Run one decoded request; returns the raw result (encoded by the caller)."""
        op = request["op"]
        args = request.get("args", [])
        kwargs = request.get("kwargs", {})
        if op in {"call", "new"}:
            return self._lookup(request["name"])(*args, **kwargs)
        if op == "get":
            return self._lookup(request["name"])
        if op == "has":
            return _has(self.namespace, request["name"])
        if op == "seed":
            return _seed(int(request["seed"]))
        if op == "source":
            return self.source
        if op == "read_text":
            with open(request["name"], encoding="utf-8", errors="replace") as fh:
                return fh.read(int(request.get("limit", 1 << 20)))
        target = self.objects[request["handle"]]
        return _handle_op(op, target, request, args, kwargs)

    def _lookup(self, dotted: str):
        head, *rest = dotted.split(".")
        if head in self.namespace:
            return _walk(self.namespace[head], rest)
        if rest:  # a test's own library object, e.g. "torchvision.models.VisionTransformer":
            try:  # found however (or whether) the student imported that library
                return _walk(importlib.import_module(head), rest)
            except ImportError:
                pass
        raise NameError(f"{head!r} is not defined in your notebook (did you run its cell?)")


def _walk(obj, parts):
    for part in parts:
        if part.isdigit() and not hasattr(obj, part):
            obj = obj[int(part)]
        else:
            obj = getattr(obj, part)
    return obj


def _has(namespace: dict, dotted: str) -> bool:
    head, *rest = dotted.split(".")
    if head not in namespace:
        return False
    try:
        _walk(namespace[head], rest)
    except (AttributeError, IndexError, KeyError, TypeError):
        return False
    return True


def _seed(seed: int) -> None:
    import random

    random.seed(seed)
    np.random.seed(seed)
    torch = _torch()
    if torch is not None:
        torch.manual_seed(seed)


def _handle_op(op, target, request, args, kwargs):
    if op == "hcall":
        return _walk(target, request["name"].split("."))(*args, **kwargs)
    if op == "hget":
        return _walk(target, request["name"].split("."))
    if op == "hset":
        *path, last = request["name"].split(".")
        setattr(_walk(target, path), last, args[0])
        return None
    if op == "state_dict":
        return {k: v.detach().clone() for k, v in target.state_dict().items()}
    if op == "load_state_dict":
        return str(target.load_state_dict(args[0]))
    if op == "train":
        target.train(bool(args[0]))
        return None
    if op == "backward":
        return _backward(target, request["name"], args, kwargs)
    raise ValueError(f"unknown operation {op!r}")


def _backward(module, method, args, kwargs):
    """Call `module.method(*args)`, back-propagate, return output and every parameter's grad."""
    grad_output = kwargs.pop("grad_output", None)
    module.zero_grad(set_to_none=True)
    out = _walk(module, method.split("."))(*args, **kwargs)
    tensor = out[0] if isinstance(out, tuple) else out
    if grad_output is None:
        tensor.sum().backward()
    else:
        tensor.backward(grad_output)
    grads = {n: (p.grad.detach().clone() if p.grad is not None else None)
             for n, p in module.named_parameters()}
    return {"output": tensor.detach(), "grads": grads}


def load_submission(source: str, namespace: dict) -> list[dict]:
    """Execute graded source statement by statement; one failing statement spoils only itself."""
    import ast

    errors = []
    module = ast.parse(source)
    for node in module.body:
        code = compile(ast.Module(body=[node], type_ignores=[]), "<notebook>", "exec")
        try:
            exec(code, namespace)  # noqa: S102 - this is the sandboxed student process
        except BaseException as exc:  # noqa: BLE001 - report every failure, keep going
            if isinstance(exc, SystemExit):
                exc = RuntimeError(f"your code called exit({exc.code}) while loading")
            errors.append(_describe(exc, line=getattr(node, "lineno", 0)))
    return errors


def _describe(exc: BaseException, line: int = 0) -> dict:
    """The exception as data, with only the student's frames in the traceback. Never raises,
    whatever the exception's str() or repr() do."""
    kind = _safe_text(lambda: type(exc).__name__, "Exception")[:200]
    message = _safe_text(lambda: str(exc), None)
    if message is None:
        message = _safe_text(lambda: repr(exc), f"<{kind} with an unprintable message>")
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if os.path.basename(f.filename) != "session.py"]
        text = "".join(traceback.format_list(frames[-5:]))
    except Exception:  # noqa: BLE001 - a traceback we cannot format is left out
        text = ""
    text += f"{kind}: {message[:2000]}\n"
    return {"type": kind, "message": message[:2000], "line": line, "traceback": text[-3000:]}


def _safe_text(render, default):
    try:
        out = render()
    except BaseException:  # noqa: BLE001 - student objects may raise anything here
        return default
    return out if type(out) is str else default


def _serve(source_path: str, in_fd: int, out_fd: int, preload: str) -> None:
    for name in filter(None, preload.split(",")):
        __import__(name)
    inp = os.fdopen(in_fd, "rb", buffering=0)
    out = os.fdopen(out_fd, "wb", buffering=0)

    def read_exact(n: int) -> bytes:
        chunks, left = [], n
        while left:
            chunk = inp.read(left)
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    with open(source_path, encoding="utf-8") as fh:
        source = fh.read()
    module = types.ModuleType("submission")
    sys.modules["submission"] = module
    errors = load_submission(source, module.__dict__)
    session = Session(module.__dict__, source)
    hello = {"ok": True, "protocol": PROTOCOL, "value": {"errors": errors}}
    out.write(pack(hello, session.codec))
    while True:
        try:
            request = unpack(read_frame(read_exact), session.codec)
        except EOFError:
            return
        out.write(_answer(session, request))


def _answer(session: Session, request: dict) -> bytes:
    try:
        return pack({"ok": True, "value": session.handle(request["value"])}, session.codec)
    except BaseException as exc:  # noqa: BLE001 - every student failure is reported as data
        if isinstance(exc, SystemExit):
            exc = RuntimeError(f"your code called exit({exc.code})")
        try:
            return pack({"ok": False, "error": _describe(exc)}, session.codec)
        except BaseException:  # noqa: BLE001 - e.g. a message that cannot be encoded
            return pack({"ok": False, "error": {"type": "Error", "message":
                                                "an error that could not be reported"}},
                        session.codec)


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
