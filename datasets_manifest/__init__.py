"""Datasets manifest: one place that knows every course dataset, fetches it verified, and loads it.

Loaders look for files in: an explicit `root=` folder, else the fetched cache
(`$COURSEKIT_DATA_DIR`, default `~/.cache/coursekit/datasets`), else the mirror in
`$COURSEKIT_MIRROR`. See docs/datasets.md.
"""

from datasets_manifest.loaders.dna import SpliceRecord, load_promoters, load_splice
from datasets_manifest.loaders.images import (
    CIFAR10_CLASSES,
    FASHION_MNIST_CLASSES,
    load_cifar10,
    load_fashion_mnist,
)
from datasets_manifest.loaders.summarization import load_billsum, load_multi_news
from datasets_manifest.loaders.text import (
    load_dakshina_hindi,
    load_sms_spam,
    load_sst2,
    load_tiny_shakespeare,
    load_tinystories,
)
from datasets_manifest.locations import DataNotFoundError, dataset_path
from datasets_manifest.models import configure_hub_cache

__all__ = [
    "CIFAR10_CLASSES",
    "FASHION_MNIST_CLASSES",
    "DataNotFoundError",
    "SpliceRecord",
    "configure_hub_cache",
    "dataset_path",
    "load_billsum",
    "load_cifar10",
    "load_dakshina_hindi",
    "load_fashion_mnist",
    "load_multi_news",
    "load_promoters",
    "load_sms_spam",
    "load_splice",
    "load_sst2",
    "load_tiny_shakespeare",
    "load_tinystories",
]
