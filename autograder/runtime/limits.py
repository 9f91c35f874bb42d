"""Caps on what the trusted grader decodes from a student's worker (`session.unpack(limits=)`).

The worker is hostile: it can write any frame. Before anything is allocated the JSON part's
size is checked; after parsing (bounded by that size) its element count and depth, without
recursion; the `.npz` part may only hold stored (uncompressed) members whose declared shape and
dtype match their bytes, with no object arrays, within a total size.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DecodeLimits:
    json_bytes: int = 16 * 1024 * 1024
    elements: int = 1_000_000
    depth: int = 64
    arrays: int = 10_000
    array_bytes: int = 512 * 1024 * 1024

    def check_json_size(self, n_bytes: int) -> None:
        if n_bytes > self.json_bytes:
            raise ValueError(f"its JSON part has {n_bytes} bytes (limit {self.json_bytes})")

    def check_tree(self, tree: object) -> None:
        """Count elements and depth of parsed JSON without recursion."""
        stack, count = [(tree, 1)], 0
        while stack:
            node, depth = stack.pop()
            count += 1
            if count > self.elements:
                raise ValueError(f"it has more than {self.elements} elements")
            if depth > self.depth:
                raise ValueError(f"it is nested deeper than {self.depth} levels")
            if isinstance(node, dict):
                stack.extend((v, depth + 1) for v in node.values())
            elif isinstance(node, list):
                stack.extend((v, depth + 1) for v in node)

    def check_npz(self, blob: bytes) -> None:
        """Stored members only, each array's declared size equal to its bytes, within caps."""
        total = 0
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            members = archive.infolist()
            if len(members) > self.arrays:
                raise ValueError(f"it holds more than {self.arrays} arrays")
            for info in members:
                total += _member_bytes(archive, info)
                if total > self.array_bytes:
                    raise ValueError(f"its arrays exceed {self.array_bytes} bytes")


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    if info.compress_type != zipfile.ZIP_STORED:
        raise ValueError("it holds a compressed array (refused)")
    with archive.open(info) as fh:
        version = np.lib.format.read_magic(fh)
        read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                else np.lib.format.read_array_header_2_0)
        shape, _, dtype = read(fh)
        if dtype.hasobject:
            raise ValueError("it holds an object array (refused)")
        nbytes = int(np.prod(shape, dtype=object)) * dtype.itemsize
        if nbytes != info.file_size - fh.tell():
            raise ValueError("an array's declared size does not match its data")
    return nbytes
