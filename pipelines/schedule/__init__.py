"""Scheduled: ``kerncijfers serve``, a local Prefect server running the flow on a schedule."""
