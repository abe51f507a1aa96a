"""The demo delivery: deterministic, record-level extracts for the shipped example
organisation (organisaties/standaard), 2012 to March 2021, reproducing its published figures."""
