"""Loaders: turn fetched (or mirrored) dataset files into arrays, strings and records."""
