"""Shared contracts: every event, command and configuration document.

Services import these models and nothing of each other; `python -m
schemas.export` writes them as JSON Schema for other teams' producers.
"""
