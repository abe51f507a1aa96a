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

final as (
    {{ kerncijfers_rijen('bijstand.uitstroom', 'telling') }}
)

select * from final
