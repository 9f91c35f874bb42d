"""Image datasets: Fashion-MNIST (IDX) and CIFAR-10 (python batches or JPEG ImageFolder tarball)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from datasets_manifest.archives import extract_tar, gunzip, load_arrays, save_arrays
from datasets_manifest.locations import derived_dir, locate

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
CIFAR10_CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
PathLike = str | os.PathLike[str] | None


def _check_split(split: str, allowed: tuple[str, ...]) -> None:
    if split not in allowed:
        raise ValueError(f"split must be one of {allowed}, got {split!r}")


def load_fashion_mnist(
    split: str = "train", root: PathLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """Fashion-MNIST images (N, 28, 28) uint8 and labels (N,) int64; train 60,000, test 10,000.

    Reads the IDX files with torchvision's own IDX reader. torchvision.datasets.FashionMNIST
    itself is not used because it demands all four files, uncompressed, in its
    FashionMNIST/raw/ layout even to read one split; the .gz files are unpacked once into the cache.
    """
    _check_split(split, ("train", "test"))
    prefix = "train" if split == "train" else "t10k"
    names = [f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte"]
    option, found = locate("fashion-mnist", [[n + ".gz" for n in names], names], root)
    paths = [found[n + ".gz"] for n in names] if option == 0 else [found[n] for n in names]
    if option == 0:
        out = derived_dir("fashion-mnist", paths, "idx")
        paths = [gunzip(p, out / n) for p, n in zip(paths, names, strict=True)]
    from torchvision.datasets.mnist import (  # torch is slow to import
        read_image_file,
        read_label_file,
    )

    X = read_image_file(str(paths[0])).numpy()  # (N, 28, 28) uint8
    y = read_label_file(str(paths[1])).numpy().astype(np.int64)  # (N,)
    if X.shape[1:] != (28, 28) or X.shape[0] != y.shape[0]:
        raise ValueError(f"Fashion-MNIST {split}: images {X.shape} do not match labels {y.shape}")
    return X, y


def _cifar10_reader():
    """torchvision's CIFAR10 reader without its built-in md5 check of each batch file.

    The manifest already verified the tarball; the built-in per-batch md5s would reject test
    fixtures and root= folders holding re-made batches. (md5 None: torchvision checks existence.)
    """
    from torchvision.datasets import CIFAR10

    class VerifiedCIFAR10(CIFAR10):
        train_list = [[name, None] for name, _ in CIFAR10.train_list]
        test_list = [[name, None] for name, _ in CIFAR10.test_list]
        meta = {**CIFAR10.meta, "md5": None}

    return VerifiedCIFAR10


def load_cifar10(split: str = "train", root: PathLike = None) -> tuple[np.ndarray, np.ndarray]:
    """CIFAR-10 images (N, 32, 32, 3) uint8 and labels (N,) int64 from either format.

    Looks for, in order: the official python tarball (or its extracted cifar-10-batches-py/
    under root=), then the JPEG ImageFolder tarball (or extracted train/ and test/ under root=).
    """
    _check_split(split, ("train", "test"))
    if root is not None and (Path(root) / "cifar-10-batches-py").is_dir():
        return _read_python_batches(Path(root), split)
    if root is not None and (Path(root) / split).is_dir():
        return _read_image_folder(
            Path(root) / split, derived_dir("cifar10", [Path(root) / split], "jpeg-dir"), split
        )
    option, found = locate("cifar10", [["cifar-10-python.tar.gz"], ["cifar10-jpeg.tar.gz"]], root)
    archive = next(iter(found.values()))
    out = derived_dir("cifar10", [archive], "python" if option == 0 else "jpeg")
    tree = extract_tar(archive, out / "tree")
    if option == 0:
        return _read_python_batches(tree, split)
    return _read_image_folder(tree / split, out, split)


def _read_python_batches(folder: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    data = _cifar10_reader()(str(folder), train=split == "train", download=False)
    X = np.ascontiguousarray(data.data, dtype=np.uint8)  # (N, 32, 32, 3)
    y = np.asarray(data.targets, dtype=np.int64)  # (N,)
    return X, y


def _read_image_folder(split_dir: Path, cache: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Decode an ImageFolder tree once; later calls read the .npy arrays kept beside it."""
    if (cached := load_arrays(cache, split, (32, 32, 3))) is not None:
        return cached
    from torchvision.datasets import ImageFolder

    folder = ImageFolder(str(split_dir))
    unknown = set(folder.classes) - set(CIFAR10_CLASSES)
    if unknown:
        raise ValueError(f"{split_dir}: class folders {sorted(unknown)} are not CIFAR-10 classes")
    to_cifar = {i: CIFAR10_CLASSES.index(name) for i, name in enumerate(folder.classes)}
    X = np.empty((len(folder.samples), 32, 32, 3), dtype=np.uint8)  # (N, 32, 32, 3)
    y = np.empty(len(folder.samples), dtype=np.int64)  # (N,)
    for i, (path, target) in enumerate(folder.samples):
        image = folder.loader(path)  # PIL RGB
        if image.size != (32, 32):
            raise ValueError(f"{path}: expected a 32x32 image, got {image.size}")
        X[i] = np.asarray(image, dtype=np.uint8)
        y[i] = to_cifar[target]
    save_arrays(cache, split, X, y)
    return X, y
