with plaatsingen as (
    {{ op_huidige_grenzen(ref('stg_banenafspraak_plaatsingen')) }}
),

peildata as (
    select * from {{ ref('int_peildata') }}
),

telling as (
    select
        plaatsingen.gemeente_code as gemeente,
        null::date as periode_begin,
        peildata.peildatum as periode_eind,
        null::varchar as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from plaatsingen
    join peildata
        on {{ loopt_op('plaatsingen.begindatum', 'plaatsingen.einddatum', 'peildata.peildatum') }}
    group by all
),

final as (
    {{ kerncijfers_rijen('banenafspraak.banen', 'telling') }}
)

select * from final
