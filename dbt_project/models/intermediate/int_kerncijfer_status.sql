{#- The status of every figure of the run: definitief when the delivery's export date lies at
    least `definitief_na_maanden` (3) months after the last day the figure depends on (its
    date, the end of its period, or for a category that looks years past its period the end
    of that later year: its kennisdatum), otherwise voorlopig (late registrations and
    corrections are mostly entered within a quarter); an outflow figure (catalogue:
    kijkt_vooruit) stays voorlopig while the 30 days after run past the export date. Adding
    months clamps to the month's end (30 November + 3 months = 29 February). -#}

with raster as (
    select distinct
        indicator,
        periode_begin,
        periode_eind,
        categorie,
        coalesce(kennisdatum, periode_eind) as kennisdatum
    from {{ ref('int_kerncijfers_raster') }}
),

indicatoren as (
    select * from {{ ref('indicatoren') }}
),

levering as (
    select * from {{ source('levering', 'levering') }}
),

final as (
    select
        raster.indicator,
        raster.periode_begin,
        raster.periode_eind,
        raster.categorie,
        case
            when levering.exportdatum is null then 'voorlopig'
            when levering.exportdatum
                < (raster.kennisdatum + to_months({{ var('definitief_na_maanden') }}))::date
                then 'voorlopig'
            when indicatoren.kijkt_vooruit
                and raster.kennisdatum + {{ var('aansluitdagen') }} > levering.exportdatum
                then 'voorlopig'
            else 'definitief'
        end as status
    from raster
    join indicatoren on indicatoren.indicator = raster.indicator
    cross join levering
)

select * from final
