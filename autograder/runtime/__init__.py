"""Code that runs on the student side of the grading protocol."""
