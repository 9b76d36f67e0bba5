"""What every service needs: clock, settings, logging, Kafka and Redis wiring.

Imports `schemas` and nothing of any service.
"""
