with doelstellingen as (
    select * from {{ source('organisatie', 'banenafspraak_doelstellingen') }}
),

peildata as (
    select * from {{ ref('int_peildata') }}
),

telling as (
    select
        'TOTAAL' as gemeente,
        null::date as periode_begin,
        peildata.peildatum as periode_eind,
        null::varchar as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        doelstellingen.doelstelling as waarde
    from peildata
    join doelstellingen on doelstellingen.jaar = year(peildata.peildatum)
),

final as (
    {{ kerncijfers_rijen('banenafspraak.doelstelling', 'telling') }}
)

select * from final
