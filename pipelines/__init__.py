"""kerncijfers: a delivery of extracts in, validated key figures and their publications out.

The sub-packages follow the path a delivery takes, and import only from those before them:

- ``intake``: the input contract, reading a delivery and loading it into the warehouse;
- ``compute``: dbt computes every figure; pandera validates; disclosure control;
- ``publish``: the marts, open data, report, audit trail, and making a publication current;
- ``run``: the command line and the Prefect flow that runs the stages in order;
- ``schedule``: ``kerncijfers serve``, the flow on a schedule.

What every stage shares sits at the top: configuration (``config``), the catalogue and the
organisation (``catalogue``, ``organisation``), expected failures (``errors``) and how a run
stops on a signal (``stopping``).
"""
