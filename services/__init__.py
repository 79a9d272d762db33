"""Thin entry points: each service parses settings, builds its adapters and runs a loop."""
