"""The kit's test toolkit: what assignment tests use (generated test files import these names).

- `compare`: `assert_close`, `assert_shape`, `rel_error`, `to_numpy` — messages that name the
  array, its shape, the worst entry.
- `gradients`: `numerical_gradient`, `assert_grad_close`, `assert_grads_match_torch`,
  `torch_grads` — float64 gradient checks.
- `differential`: `sweep`, `array`, `assert_matches_reference`, `assert_same_behaviour`,
  `Step`, `compare_outputs`, `noncontiguous`, `assert_inputs_unchanged`, `graded_settings`,
  `float_arrays` — the student's code vs the reference on a seeded sweep of the domain.
- `trajectory`: `record_steps`, `assert_same_trajectory`, `scripted_curves`, `early_stop`,
  `best_epoch` — training code from identical weights, data and seeds; early stopping on
  scripted validation curves.
- `static`: `forbidden_uses` (alias `forbidden_calls`), `assert_no_forbidden`.
- `helpers`: `load_helpers` (the assignment's `_helpers.py`).
"""

from autograder.testing.compare import assert_close, assert_shape, rel_error, to_numpy
from autograder.testing.differential import (
    Case,
    Step,
    array,
    assert_inputs_unchanged,
    assert_matches_reference,
    assert_same_behaviour,
    compare_outputs,
    float_arrays,
    graded_settings,
    noncontiguous,
    sweep,
)
from autograder.testing.gradients import (
    assert_grad_close,
    assert_grads_match_torch,
    numerical_gradient,
    torch_grads,
)
from autograder.testing.helpers import load_helpers
from autograder.testing.static import assert_no_forbidden, forbidden_calls, forbidden_uses
from autograder.testing.trajectory import (
    Curve,
    assert_same_trajectory,
    best_epoch,
    early_stop,
    record_steps,
    scripted_curves,
)

__all__ = [
    "Case", "Curve", "Step", "array", "assert_close", "assert_grad_close",
    "assert_grads_match_torch", "assert_inputs_unchanged", "assert_matches_reference",
    "assert_no_forbidden", "assert_same_behaviour", "assert_same_trajectory", "assert_shape",
    "best_epoch", "compare_outputs", "early_stop", "float_arrays", "forbidden_calls",
    "forbidden_uses", "graded_settings", "load_helpers", "noncontiguous", "numerical_gradient",
    "record_steps", "rel_error", "scripted_curves", "sweep", "to_numpy", "torch_grads",
]
