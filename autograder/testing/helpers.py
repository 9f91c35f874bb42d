"""Loading an assignment's `_helpers.py` (its TEST HELPERS cells) beside a generated test file."""

from __future__ import annotations

import os
import types

_HELPERS: dict[str, types.SimpleNamespace] = {}


def load_helpers(test_file: str) -> types.SimpleNamespace:
    """The names of `_helpers.py` beside a generated test file (loaded once per path), as
    attributes; generated tests bind the ones they need explicitly."""
    path = os.path.join(os.path.dirname(os.path.abspath(test_file)), "_helpers.py")
    if path not in _HELPERS:
        namespace: dict = {"__name__": "_coursekit_helpers", "__file__": path}
        with open(path, encoding="utf-8") as fh:
            exec(compile(fh.read(), path, "exec"), namespace)  # noqa: S102 - the kit's own file
        _HELPERS[path] = types.SimpleNamespace(
            **{k: v for k, v in namespace.items() if not k.startswith("__")})
    return _HELPERS[path]
