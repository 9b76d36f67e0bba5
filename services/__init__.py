"""Leadpool's four services and the small kit they share."""
