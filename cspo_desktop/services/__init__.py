"""Use cases: one transaction per user action, returning what changed."""
