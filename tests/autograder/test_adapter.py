"""The value/handle protocol: same answers in-process and in the sandbox, no pickle anywhere."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograder.adapter import Adapter, InProcessTransport, SubmissionError
from autograder.runtime.session import Codec, pack, unpack
from autograder.sandbox import SandboxPolicy, SandboxTransport

SOURCE = '''
import numpy as np
import torch
from torch import nn

class Box:
    def __init__(self, v):
        self.v = v
    def get(self):
        return self.v

def echo(*args, **kwargs):
    return args, kwargs

def pair():
    return Box(1), Box(2)

def unbox(boxes):
    return [b.get() for b in boxes]

def model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))

def fails():
    raise ValueError("bad shape (2, 3)")
'''


@pytest.fixture(scope="module", params=["in-process", "sandbox"])
def sub(request):
    if request.param == "in-process":
        ns: dict = {}
        exec(SOURCE, ns)
        yield Adapter(InProcessTransport(ns, SOURCE))
        return
    transport = SandboxTransport(SOURCE, SandboxPolicy(), preload=("numpy", "torch"))
    yield Adapter(transport)
    transport.close()


VALUES = [None, True, 3, 2.5, float("inf"), "text", [1, [2, 3]], (1, "a"), {"k": 1, 2: [3]},
          np.arange(6, dtype=np.float32).reshape(2, 3), np.array([True, False]), np.int64(7)]


def test_values_round_trip(sub):
    args, kwargs = sub.call("echo", *VALUES, key=np.eye(2))
    for sent, got in zip(VALUES, args, strict=True):
        if isinstance(sent, np.ndarray):
            assert got.dtype == sent.dtype and np.array_equal(got, sent)
        else:
            assert got == sent or (got != got and sent != sent)
    assert np.array_equal(kwargs["key"], np.eye(2))


def test_tensors_round_trip(sub):
    t = torch.randn(2, 3, dtype=torch.float64)
    (back,), _ = sub.call("echo", t)
    assert isinstance(back, torch.Tensor) and back.dtype == torch.float64
    assert torch.equal(back, t)


def test_handles_and_passing_them_back(sub):
    a, b = sub.call("pair")
    assert a.call("get") == 1 and b.get("v") == 2
    assert sub.call("unbox", [a, b]) == [1, 2]


def test_module_helpers(sub):
    m = sub.call("model")
    state = m.state_dict()
    assert set(state) == {"0.weight", "0.bias", "2.weight", "2.bias"}
    out = m.backward("forward", torch.ones(4, 3))
    assert out["output"].shape == (4, 1)
    assert all(g is not None for g in out["grads"].values())
    state["0.bias"] = torch.zeros(2)
    m.load_state_dict(state)
    assert torch.equal(m.get("0.bias"), torch.zeros(2))


def test_student_exception_is_reported_with_message(sub):
    with pytest.raises(SubmissionError, match=r"fails\(\) raised ValueError: bad shape \(2, 3\)"):
        sub.call("fails")


def test_undefined_name_says_what_to_do(sub):
    with pytest.raises(SubmissionError, match="not defined in your notebook"):
        sub.call("nope")
    with pytest.raises(SubmissionError, match="not defined in your notebook"):
        sub.call("nope.missing")


def test_a_tests_library_object_is_found_whatever_the_student_imported(sub):
    """A hidden test may build a library object in the student's process by its dotted name
    ("torchvision.models.VisionTransformer"); the student need not have imported it that way."""
    assert sub.call("math.hypot", 3.0, 4.0) == 5.0  # SOURCE never imports math


def test_object_arrays_are_refused():
    with pytest.raises(TypeError, match="object arrays"):
        pack({"value": np.array([object()])}, Codec(register=lambda o: 1))


def test_frames_never_unpickle():
    import io
    import pickle
    import struct

    blob = io.BytesIO()
    np.save(blob, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    header = b'{"value": {"__nd__": 0}}'
    frame = struct.pack("<QQ", len(header), len(blob.getvalue())) + header + blob.getvalue()
    with pytest.raises(ValueError):
        unpack(frame, Codec())
    assert pickle  # imported only to build the hostile payload above


def test_zero_dim_values_keep_their_shape(sub):
    (a, t), _ = sub.call("echo", np.array(2.0), torch.tensor(3.0))
    assert a.shape == () and t.shape == ()
