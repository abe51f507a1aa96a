{#- Tozo decisions on income support taken on or before the reference date, every outcome
    (granted, refused, not processed) included. -#}

with besluiten as (
    {{ op_huidige_grenzen(ref('stg_tozo_besluiten')) }}
    where soort = 'LEVENSONDERHOUD'
),

peildata as (
    select * from {{ ref('int_peildata') }}
),

telling as (
    select
        besluiten.gemeente_code as gemeente,
        null::date as periode_begin,
        peildata.peildatum as periode_eind,
        besluiten.regeling as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from besluiten
    join peildata on besluiten.besluitdatum <= peildata.peildatum
    group by all
),

final as (
    {{ kerncijfers_rijen('tozo.besluiten', 'telling') }}
)

select * from final
