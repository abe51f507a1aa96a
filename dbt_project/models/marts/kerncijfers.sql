{#- The published table: one row per indicator x municipality x period x breakdown cell, the
    union of the indicator models (each a complete cube with TOTAAL rows), with the status of
    each figure (voorlopig or definitief) and whether it breaks the series (its area was not
    served whole on its date).

    The indicator models are those of the catalogue (seed indicatoren): each indicator is
    computed by the model of the same name (bijstand.instroom: bijstand_instroom). dbt must
    know a model's inputs before it reads any seed, so the pipeline passes the catalogue's
    models as the var indicatormodellen (pipelines/catalogue.py); the test
    catalogus_en_modellen fails when the catalogue and the models disagree. -#}
{%- set indicatormodellen = var('indicatormodellen') -%}

with cijfers as (
    {%- for model in indicatormodellen %}
    {% if not loop.first %}union all {% endif %}select
        indicator, gemeente, periode_begin, periode_eind,
        categorie, leeftijdsklasse, duurklasse, cast(waarde as double) as waarde, eenheid
    from {{ ref(model) }}
    {%- endfor %}
),

status as (
    select * from {{ ref('int_kerncijfer_status') }}
),

reeksbreuken as (
    select * from {{ ref('int_reeksbreuken') }}
),

kerncijfers as (
    select cijfers.*, status.status, reeksbreuken.reeksbreuk
    from cijfers
    join status
        on status.indicator = cijfers.indicator
        and status.periode_begin is not distinct from cijfers.periode_begin
        and status.periode_eind = cijfers.periode_eind
        and status.categorie is not distinct from cijfers.categorie
    join reeksbreuken
        on reeksbreuken.gemeente = cijfers.gemeente
        and reeksbreuken.periode_begin is not distinct from cijfers.periode_begin
        and reeksbreuken.periode_eind = cijfers.periode_eind
)

select * from kerncijfers
order by indicator, gemeente, periode_begin nulls first, periode_eind,
    categorie nulls first, leeftijdsklasse nulls first, duurklasse nulls first
