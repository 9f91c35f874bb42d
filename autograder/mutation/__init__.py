"""Mutation testing of the hidden tests: `operators` (AST mutations of solution code), `run`
(mutant ids, grading, the equivalent-mutants file) and `cli` (`coursekit mutate`)."""
