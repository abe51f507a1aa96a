{#- Of the instroom benefits of each cohort year, those whose aanvrager is still on bijstand
    n years later (its continuous period still runs on the anniversary), for every n the
    grid has: a cohort year and n only when every anniversary of the cohort is known. -#}

with instroom as (
    select * from {{ ref('int_bijstand_instroom_cohort') }}
),

cohortjaren as (
    select * from {{ ref('int_cohortjaren') }}
),

jaren_later as (
    select categorie, jaren_na from {{ ref('indicator_categorieen') }}
    where indicator = 'bijstand.cohort_nog_in_bijstand'
),

raster as (
    select distinct periode_begin, periode_eind, categorie
    from {{ ref('int_kerncijfers_raster') }}
    where indicator = 'bijstand.cohort_nog_in_bijstand'
),

per_cohort as (
    select instroom.*, cohortjaren.periode_begin, cohortjaren.periode_eind as cohort_eind
    from instroom
    join cohortjaren
        on instroom.begindatum between cohortjaren.periode_begin and cohortjaren.periode_eind
),

nog_in_bijstand as (
    select per_cohort.*, jaren_later.categorie
    from per_cohort
    join jaren_later
        on per_cohort.periode_eind is null
        or per_cohort.periode_eind >= {{ jaren_later('per_cohort.begindatum', 'jaren_later.jaren_na') }}
),

telling as (
    select
        nog_in_bijstand.gemeente_code as gemeente,
        nog_in_bijstand.periode_begin,
        nog_in_bijstand.cohort_eind as periode_eind,
        nog_in_bijstand.categorie,
        nog_in_bijstand.leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from nog_in_bijstand
    join raster
        on raster.periode_begin = nog_in_bijstand.periode_begin
        and raster.periode_eind = nog_in_bijstand.cohort_eind
        and raster.categorie = nog_in_bijstand.categorie
    group by all
),

final as (
    {{ kerncijfers_rijen('bijstand.cohort_nog_in_bijstand', 'telling') }}
)

select * from final
