with instroom as (
    select * from {{ ref('int_bijstand_instroom') }}
),

perioden as (
    select * from {{ ref('int_perioden') }}
),

telling as (
    select
        instroom.gemeente_code as gemeente,
        perioden.periode_begin,
        perioden.periode_eind,
        null::varchar as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from instroom
    join perioden
        on instroom.begindatum between perioden.periode_begin and perioden.periode_eind
    group by all
),

final as (
    {{ kerncijfers_rijen('bijstand.instroom', 'telling') }}
)

select * from final
