"""The transformer assignment's forbidden-call check (a public test helper of its notebook):
it must see torch's attention and Transformer modules under any alias or string trick, and
must not flag the student's own functions and classes of the same names."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from autograder.build.markup import parse_solution
from autograder.build.render import render
from autograder.extract import graded_code

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")
PUBLIC_TEST = ROOT / "assignments" / "transformer" / "tests" / "test_q1.py"
SOLUTION = ROOT / "solutions" / "transformer" / "transformer.ipynb"


@pytest.fixture(scope="module")
def helpers():
    spec = importlib.util.spec_from_file_location("transformer_public_q1", PUBLIC_TEST)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CAUGHT_SDPA = [
    "import torch.nn.functional as F\ndef f(q, k, v):\n    return F.scaled_dot_product_attention(q, k, v)",
    "from torch.nn.functional import scaled_dot_product_attention as sdpa\n",
    "import torch\ndef f(q, k, v):\n    return torch._C._nn.scaled_dot_product_attention(q, k, v)",
    "import torch\nf = torch.ops.aten._scaled_dot_product_attention_math",
    "import torch.nn.functional as F\nf = getattr(F, 'scaled_dot_' + 'product_attention')",
    "import torch.nn.functional as F\nf = getattr(F, f'scaled_dot_product_attention')",
    "import torch.nn.functional as F\nf = getattr(F, ''.join(['scaled_dot', '_product_attention']))",
    "import torch.nn.functional as F\nf = vars(F)['scaled_dot_product_attention']",
    "from torch.nn.functional import *\n",
]
ALLOWED_SDPA = [
    "import math\ndef scaled_dot_product_attention(q, k, v, mask=None):\n"
    "    '''Like scaled_dot_product_attention in torch, by hand.'''\n    return q\n"
    "def g(q):\n    return scaled_dot_product_attention(q, q, q)",
    "from math import *\n",
]


@pytest.mark.parametrize("source", CAUGHT_SDPA)
def test_library_attention_is_caught(helpers, source):
    assert helpers.forbidden_uses(source, helpers.SDPA_NAMES), source


@pytest.mark.parametrize("source", ALLOWED_SDPA)
def test_own_attention_is_allowed(helpers, source):
    assert helpers.forbidden_uses(source, helpers.SDPA_NAMES) == []


def test_library_modules_are_caught(helpers):
    mha, tfm = helpers.MHA_NAMES, helpers.TRANSFORMER_NAMES
    assert helpers.forbidden_uses("import torch.nn as nn\nm = nn.MultiheadAttention(8, 2)", mha)
    assert helpers.forbidden_uses("from torch.nn import MultiheadAttention as M", mha)
    assert helpers.forbidden_uses("import torch.nn.functional as F\nf = F.multi_head_attention_forward", mha)
    assert helpers.forbidden_uses("from torch import nn\nL = nn.TransformerEncoderLayer", tfm)
    assert helpers.forbidden_uses("from torch.nn import TransformerDecoderLayer as L", tfm)
    assert helpers.forbidden_uses("import torch.nn as nn\nT = getattr(nn, 'Transformer')", tfm)
    own = "class MultiHeadAttention:\n    pass\nclass Transformer:\n    pass\nm = Transformer()"
    assert helpers.forbidden_uses(own, mha | tfm) == []


def test_reference_solution_is_clean(helpers):
    source = graded_code(render(parse_solution(SOLUTION), solutions=True)).source
    names = helpers.SDPA_NAMES | helpers.MHA_NAMES | helpers.TRANSFORMER_NAMES
    assert helpers.forbidden_uses(source, names) == []
