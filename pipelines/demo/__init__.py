"""The demo delivery: a deterministic, record-level set of extracts for Avres, 2012 to March 2021."""
