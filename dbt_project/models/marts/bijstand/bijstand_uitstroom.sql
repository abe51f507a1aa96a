with uitstroom as (
    select * from {{ ref('int_bijstand_uitstroom') }}
),

perioden as (
    select * from {{ ref('int_perioden') }}
),

telling as (
    select
        uitstroom.gemeente_code as gemeente,
        perioden.periode_begin,
        perioden.periode_eind,
        uitstroom.uitstroomcategorie as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from uitstroom
    join perioden
        on uitstroom.einddatum between perioden.periode_begin and perioden.periode_eind
    group by all
),

kubus as (
    {{ kerncijfer_kubus('bijstand.uitstroom', 'telling') }}
),

final as (
    {{ met_totaal('kubus') }}
)

select * from final
