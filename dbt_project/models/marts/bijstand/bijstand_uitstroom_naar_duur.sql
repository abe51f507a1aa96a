with uitstroom as (
    select * from {{ ref('int_bijstand_uitstroom_verloop') }}
),

perioden as (
    select * from {{ ref('int_perioden') }}
),

telling as (
    select
        uitstroom.gemeente_code as gemeente,
        perioden.periode_begin,
        perioden.periode_eind,
        null::varchar as categorie,
        null::varchar as leeftijdsklasse,
        uitstroom.duurklasse,
        count(*) as waarde
    from uitstroom
    join perioden
        on uitstroom.einddatum between perioden.periode_begin and perioden.periode_eind
    group by all
),

final as (
    {{ kerncijfers_rijen('bijstand.uitstroom_naar_duur', 'telling') }}
)

select * from final
