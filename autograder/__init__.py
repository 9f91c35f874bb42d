"""coursekit's autograder: build student notebooks, grade submissions in a sandbox, self-check."""

__version__ = "0.1.0"
