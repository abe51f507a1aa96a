"""Run: the command line and the Prefect flow that takes a delivery through every stage."""
