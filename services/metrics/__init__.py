"""The metrics service: pool health figures from the lead event log."""
