"""Class leaderboard: scoring of submitted predictions."""
