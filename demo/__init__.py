"""The demo delivery: deterministic, record-level extracts for Avres, 2012 to March 2021."""
