"""Build: solution notebook -> student notebook, public tests, autograder bundle."""
