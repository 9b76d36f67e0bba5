"""The hygiene service: decides aging, SLA and rebalancing actions."""
