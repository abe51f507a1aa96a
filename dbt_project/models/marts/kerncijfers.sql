{#- The published table: one row per indicator x municipality x period x breakdown cell, the
    union of the indicator models (each a complete cube with TOTAAL rows), with the status of
    each figure (voorlopig or definitief) and whether it breaks the series (its area was not
    served whole on its date). -#}
{%- set indicatormodellen = [
    'banenafspraak_banen',
    'banenafspraak_personen_sinds_2016',
    'banenafspraak_doelstelling',
    'bijstand_uitkeringen',
    'bijstand_partners',
    'bijstand_personen',
    'bijstand_uitkeringen_naar_leeftijd',
    'bijstand_personen_naar_leeftijd_duur',
    'bijstand_aanvullend_arbeid',
    'bijstand_statushouders',
    'bijstand_instroom',
    'bijstand_uitstroom',
    'bijstand_statushouders_uitstroom_werk',
    'sw_medewerkers',
    'sw_fte',
    'nieuw_beschut_medewerkers',
    'nieuw_beschut_instroom',
    'schuldhulp_lopend',
    'schuldhulp_instroom',
    'minima_gebruik',
    'minima_uitgaven',
    'buig_uitgaven_cumulatief',
    'tozo_besluiten',
    'tozo_bedrijfskapitaal',
] -%}

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
    join reeksbreuken
        on reeksbreuken.gemeente = cijfers.gemeente
        and reeksbreuken.periode_begin is not distinct from cijfers.periode_begin
        and reeksbreuken.periode_eind = cijfers.periode_eind
)

select * from kerncijfers
order by indicator, gemeente, periode_begin nulls first, periode_eind,
    categorie nulls first, leeftijdsklasse nulls first, duurklasse nulls first
