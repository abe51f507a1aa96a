"""Computed: dbt builds every figure, pandera validates them, disclosure control protects
them, and the history of vintages says what was revised."""
