{#- The uitstroom benefits of each year, by when their aanvrager began a bijstand membership
    again: the first window (seed herinstroomtermijnen: within 6, 12, 24 months of the
    einddatum, adding months clamped to the month's end) that holds the return, or none. A
    year has figures only when every window of it has closed. -#}

with uitstroom as (
    select * from {{ ref('int_bijstand_uitstroom_verloop') }}
),

cohortjaren as (
    select * from {{ ref('int_cohortjaren') }}
),

termijnen as (
    select * from {{ ref('herinstroomtermijnen') }}
),

raster as (
    select distinct periode_begin, periode_eind, categorie
    from {{ ref('int_kerncijfers_raster') }}
    where indicator = 'bijstand.herinstroom'
),

per_jaar as (
    select uitstroom.*, cohortjaren.periode_begin, cohortjaren.periode_eind
    from uitstroom
    join cohortjaren
        on uitstroom.einddatum between cohortjaren.periode_begin and cohortjaren.periode_eind
),

termijn as (
    select
        per_jaar.uitkering_id,
        arg_min(termijnen.categorie, termijnen.volgorde) as categorie
    from per_jaar
    join termijnen
        on termijnen.binnen_maanden is null
        or per_jaar.volgende_begin
            <= {{ maanden_later('per_jaar.einddatum', 'termijnen.binnen_maanden') }}
    group by per_jaar.uitkering_id
),

telling as (
    select
        per_jaar.gemeente_code as gemeente,
        per_jaar.periode_begin,
        per_jaar.periode_eind,
        termijn.categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from per_jaar
    join termijn on termijn.uitkering_id = per_jaar.uitkering_id
    join raster
        on raster.periode_begin = per_jaar.periode_begin
        and raster.periode_eind = per_jaar.periode_eind
        and raster.categorie = termijn.categorie
    group by all
),

final as (
    {{ kerncijfers_rijen('bijstand.herinstroom', 'telling') }}
)

select * from final
