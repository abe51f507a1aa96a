{#- The periods of report year Y: the tertialen (1 Jan - 30 Apr, 1 May - 31 Aug,
    1 Sep - 31 Dec) and the calendar year, for Y-1 and Y. -#}
{%- set jaar = var('jaar') | int -%}

with perioden as (
    {%- for year in [jaar - 1, jaar] %}
    {% if not loop.first %}union all {% endif -%}
    select make_date({{ year }}, 1, 1) as periode_begin, make_date({{ year }}, 4, 30) as periode_eind, 'tertiaal' as periodesoort
    union all select make_date({{ year }}, 5, 1), make_date({{ year }}, 8, 31), 'tertiaal'
    union all select make_date({{ year }}, 9, 1), make_date({{ year }}, 12, 31), 'tertiaal'
    union all select make_date({{ year }}, 1, 1), make_date({{ year }}, 12, 31), 'jaar'
    {%- endfor %}
)

select * from perioden
