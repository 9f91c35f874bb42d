"""Manifest entries, one JSON file per dataset (data only; read by datasets_manifest.manifest)."""
