"""The demo world: the shapes the publication does not fix, in one place.

Where the 2019 report publishes a figure, the generator takes it from the reference file (see
targets.py). Everything else that shapes the records — caseload before and after the
published dates, inflow rates, exit hazards by duration, household make-up, reasons for
ending, income from work — is a parameter here, chosen to look like a caseload of this size.
"""

from __future__ import annotations

import datetime as dt

from pipelines.config import DEFAULT_ORGANISATION_DIR
from pipelines.organisation import load as load_organisation

D = dt.date

# The member municipalities of the organisation the demo is about (its folder).
MEMBERS = tuple(load_organisation(DEFAULT_ORGANISATION_DIR).member_codes)
# Lingewaal (now part of West Betuwe) was served by Avres until 1 January 2020; its records
# stay in the delivery but are not a member's: they count only for continuity.
NON_MEMBER = "GM1960"
FIRST_DAY = D(2012, 1, 1)
EXPORT_DATE = D(2021, 3, 31)
LINGEWAAL_LEAVES = D(2019, 12, 31)

# Caseload (benefits) relative to the published stock on 31-12-2018 (before) or 31-12-2019
# (after); linear in between. Rising after the crisis, peaking in 2016-2017, a dip in 2019,
# a corona bump in 2020.
STOCK_BEFORE = {
    D(2011, 12, 31): 0.80,
    D(2012, 12, 31): 0.86,
    D(2013, 12, 31): 0.92,
    D(2014, 12, 31): 0.96,
    D(2015, 12, 31): 1.01,
    D(2016, 12, 31): 1.05,
    D(2017, 12, 31): 1.04,
    D(2018, 12, 31): 1.00,
}
STOCK_AFTER = {
    D(2019, 12, 31): 1.00,
    D(2020, 4, 30): 1.01,
    D(2020, 8, 31): 1.04,
    D(2020, 12, 31): 1.03,
    D(2021, 3, 31): 1.02,
}
NON_MEMBER_STOCK = {D(2011, 12, 31): 150, D(2016, 12, 31): 185, D(2019, 12, 31): 170}

# Statushouders on bijstand (persons, the three members together) where the report is
# silent: the arrival of permit holders from 2014, and after 2019 a slow decline.
STATUSHOUDERS = {
    D(2011, 12, 31): 45,
    D(2012, 12, 31): 55,
    D(2013, 12, 31): 80,
    D(2014, 12, 31): 140,
    D(2015, 12, 31): 250,
    D(2016, 12, 31): 375,
    D(2020, 4, 30): 318,
    D(2020, 8, 31): 310,
    D(2020, 12, 31): 303,
    D(2021, 3, 31): 298,
}

# Duration (months) of the benefits running on 1-1-2012: a long tail, as in any bijstand stock.
INITIAL_DURATION_MEAN_MONTHS = 52
INITIAL_DURATION_MAX_MONTHS = 240

# Surviving inflow per tertial, as a share of the stock; the bounds the step solver keeps to.
INFLOW_RATE = 0.075
INFLOW_BOUNDS = (0.5, 1.9)
SHORT_SPELL_RATE = 0.12  # benefits that start and end within one tertial, per surviving entry
COUPLE_SHARE_MAX = 0.45  # at most this share of new households are couples
REENTRY_SHARE = 0.22  # new benefits whose aanvrager was on bijstand before (> 30 days ago)


def exit_weight(duration_months: int, statushouder: bool) -> float:
    """Relative chance of leaving bijstand in a tertial: high early, low after years."""
    if duration_months < 6:
        weight = 3.6
    elif duration_months < 12:
        weight = 2.8
    elif duration_months < 24:
        weight = 1.8
    elif duration_months < 60:
        weight = 0.8
    else:
        weight = 0.4
    if statushouder:
        weight *= 0.7 if duration_months < 24 else 1.2
    return weight


# Post-processing of the simulated stays (none of it changes a stock on a tertial end):
ADMINISTRATIVE_SPLIT_SHARE = 0.08  # a stay continues in a new benefit (household or scheme)
INTERRUPTION_SHARE = 0.05  # a stay is interrupted for 1-30 days (a short job) and resumes
EARLY_PARTNER_CHANGES = 60  # partners joining or leaving during a benefit (before 2017)
BBZ_BENEFITS = 45  # Bbz benefits of self-employed (never a bijstand figure)

# Reasons for ending when the stay really ends (uitstroom). WERK is set so that 2019 matches
# the published outflow to work; the others share the rest.
OTHER_REASONS = {
    "ANDERE_UITKERING": 0.12,
    "INKOMEN_PARTNER": 0.12,
    "VERMOGEN": 0.06,
    "VERHUIZING": 0.17,
    "HANDHAVING": 0.12,
    "DETENTIE": 0.04,
    "OVERLIJDEN": 0.06,
    "STUDIE": 0.07,
    "OVERIG": 0.10,
}
WORK_SHARE_OTHER_YEARS = 0.45
ONDERNEMING_SHARE_OF_WORK = 0.07
INTERRUPTION_REASONS = {"WERK": 0.7, "INKOMEN_PARTNER": 0.1, "OVERIG": 0.2}

# Ages: at the start of a first benefit, for persons not in the published 2019 stock.
AGE_AT_START = ((18, 27, 0.30), (28, 47, 0.45), (48, 63, 0.25))
MIN_AGE, MAX_AGE = 18, 66

# Income from work set off against the benefit: chance per month of starting a job, and the
# job's length; amounts per month.
WORK_START_PER_MONTH = 0.016
WORK_MONTHS = (2, 18)
WORK_AMOUNT = (60.0, 1350.0)
OTHER_INCOME_SHARE = 0.07

VERBLIJFSTITELS_NIET_ASIEL = {"NL": 0.80, "EU": 0.07, "REGULIER": 0.12, "ONBEKEND": 0.01}
