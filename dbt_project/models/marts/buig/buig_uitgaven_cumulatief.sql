{#- BUIG spending accrued from 1 January of the reference date's year through the date. -#}

with boekingen as (
    {{ op_huidige_grenzen(ref('stg_buig_boekingen')) }}
),

peildata as (
    select * from {{ ref('int_peildata') }}
),

telling as (
    select
        boekingen.gemeente_code as gemeente,
        null::date as periode_begin,
        peildata.peildatum as periode_eind,
        boekingen.soort as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        sum(boekingen.bedrag) as waarde
    from boekingen
    join peildata
        on boekingen.boekdatum between date_trunc('year', peildata.peildatum)::date
                                   and peildata.peildatum
    group by all
),

final as (
    {{ kerncijfers_rijen('buig.uitgaven_cumulatief', 'telling') }}
)

select * from final
