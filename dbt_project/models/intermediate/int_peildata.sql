{#- The reference dates of report year Y: the ends of the tertialen from 31-12-(Y-2) through
    31-12-Y, plus the extra dates a run asks for. -#}
{%- set jaar = var('jaar') | int -%}

with standaard as (
    select make_date({{ jaar - 2 }}, 12, 31) as peildatum
    {%- for year in [jaar - 1, jaar] %}
        {%- for maand, dag in [(4, 30), (8, 31), (12, 31)] %}
    union all select make_date({{ year }}, {{ maand }}, {{ dag }})
        {%- endfor %}
    {%- endfor %}
),

extra as (
    select cast(peildatum as date) as peildatum
    from (values (null::varchar)
        {%- for datum in var('extra_peildata') %}, ('{{ datum }}'){% endfor %}) as v(peildatum)
    where peildatum is not null
),

peildata as (
    select peildatum, true as is_standaard from standaard
    union all
    select peildatum, false as is_standaard from extra
    where peildatum not in (select peildatum from standaard)
)

select distinct peildatum, is_standaard from peildata
