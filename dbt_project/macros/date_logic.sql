{#- Date logic shared by the definitions. -#}

{#- A record runs on `datum`: begin <= datum and (end null or end >= datum). -#}
{% macro loopt_op(begin, eind, datum) -%}
    ({{ begin }} <= {{ datum }} and ({{ eind }} is null or {{ eind }} >= {{ datum }}))
{%- endmacro %}

{#- Age on `datum`: the largest n with geboortedatum + n years <= datum. Adding years to
    29 February lands on 28 February in a non-leap year (DuckDB clamps to the month end). -#}
{% macro leeftijd_op(geboortedatum, datum) -%}
    (date_diff('year', {{ geboortedatum }}, {{ datum }})
     - case when ({{ geboortedatum }} + to_years(date_diff('year', {{ geboortedatum }}, {{ datum }})::integer))::date
                 > {{ datum }} then 1 else 0 end)
{%- endmacro %}

{#- Whole months from `begin` to `datum`: the largest m with begin + m months <= datum, adding
    months clamped to the end of the month (31 October + 6 months = 30 April). -#}
{% macro hele_maanden(begin, datum) -%}
    (date_diff('month', {{ begin }}, {{ datum }})
     - case when ({{ begin }} + to_months(date_diff('month', {{ begin }}, {{ datum }})::integer))::date
                 > {{ datum }} then 1 else 0 end)
{%- endmacro %}

{#- A value falls in a class with a lower bound (inclusive) and an upper bound (exclusive);
    an empty bound is open. -#}
{% macro in_klasse(waarde, ondergrens, bovengrens) -%}
    (({{ ondergrens }} is null or {{ waarde }} >= {{ ondergrens }})
     and ({{ bovengrens }} is null or {{ waarde }} < {{ bovengrens }}))
{%- endmacro %}

{#- The anniversary: the day `jaren` years after `datum` (29 February + 1 year = 28 February;
    DuckDB clamps to the month's end). -#}
{% macro jaren_later(datum, jaren) -%}
    ({{ datum }} + to_years({{ jaren }}))::date
{%- endmacro %}

{#- The day `maanden` months after `datum`, clamped to the month's end (31 August + 6 months =
    29 February in a leap year). -#}
{% macro maanden_later(datum, maanden) -%}
    ({{ datum }} + to_months({{ maanden }}))::date
{%- endmacro %}
