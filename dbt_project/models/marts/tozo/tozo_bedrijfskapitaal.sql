{#- Tozo decisions on business-capital loans taken on or before the reference date, every outcome
    (granted, refused, not processed) included. -#}

with besluiten as (
    {{ op_huidige_grenzen(ref('stg_tozo_besluiten')) }}
    where soort = 'BEDRIJFSKAPITAAL'
),

peildata as (
    select * from {{ ref('int_peildata') }}
),

telling as (
    select
        besluiten.gemeente_code as gemeente,
        null::date as periode_begin,
        peildata.peildatum as periode_eind,
        null::varchar as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from besluiten
    join peildata on besluiten.besluitdatum <= peildata.peildatum
    group by all
),

final as (
    {{ kerncijfers_rijen('tozo.bedrijfskapitaal', 'telling') }}
)

select * from final
