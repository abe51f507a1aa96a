with instroom as (
    select * from {{ ref('int_bijstand_instroom_cohort') }}
),

cohortjaren as (
    select * from {{ ref('int_cohortjaren') }}
),

telling as (
    select
        instroom.gemeente_code as gemeente,
        cohortjaren.periode_begin,
        cohortjaren.periode_eind,
        null::varchar as categorie,
        instroom.leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from instroom
    join cohortjaren
        on instroom.begindatum between cohortjaren.periode_begin and cohortjaren.periode_eind
    group by all
),

final as (
    {{ kerncijfers_rijen('bijstand.instroomcohort', 'telling') }}
)

select * from final
