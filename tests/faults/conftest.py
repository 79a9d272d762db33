"""The fault suite's scenario table (the PostgreSQL fixture is tests/conftest.py's)."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    """The scenario table: one row per scenario the session ran, whatever pytest's -s says,
    so that a run shows what was injected and what the checker saw, not only pass or fail."""
    from tests.faults.checker import ROWS, table

    if ROWS:
        terminalreporter.write_sep("=", "fault scenarios")
        for line in table(ROWS):
            terminalreporter.write_line(line)
