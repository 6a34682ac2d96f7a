"""Append-only, hash-chained audit log (who did what, when, in which cell)."""
