with producten as (
    select * from {{ ref('int_schuldhulp_producten') }}
),

peildata as (
    select * from {{ ref('int_peildata') }}
),

telling as (
    select
        producten.gemeente_code as gemeente,
        null::date as periode_begin,
        peildata.peildatum as periode_eind,
        producten.categorie_lopend as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from producten
    join peildata
        on {{ loopt_op('producten.begindatum', 'producten.einddatum', 'peildata.peildatum') }}
    group by all
),

final as (
    {{ kerncijfers_rijen('schuldhulp.lopend', 'telling') }}
)

select * from final
