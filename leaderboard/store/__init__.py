"""Persistence: tables, engine, roster, accepted submissions (with the daily limits the
database enforces) and the boards computed from them."""
