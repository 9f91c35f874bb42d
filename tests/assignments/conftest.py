"""Shared helpers of the assignment tests live in student_flow.py, put on sys.path here."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
