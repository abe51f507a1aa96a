with plaatsingen as (
    {{ op_huidige_grenzen(ref('stg_banenafspraak_plaatsingen')) }}
    where begindatum >= date '{{ var("banenafspraak_vanaf") }}'
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
        count(distinct plaatsingen.client_id) as waarde
    from plaatsingen
    join peildata on plaatsingen.begindatum <= peildata.peildatum
    group by all
),

final as (
    {{ kerncijfers_rijen('banenafspraak.personen_sinds_2016', 'telling') }}
)

select * from final
