"""Published: the marts, the open data, the report, the audit trail, and making a run's
publication current in one step."""
