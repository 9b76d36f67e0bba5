"""The `leadpool` command line for ops: configuration, imports, claims, reports."""
