"""The claims service: the single writer of pooled leads' state."""
