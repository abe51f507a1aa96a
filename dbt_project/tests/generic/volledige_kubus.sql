{#- Every indicator in the model has exactly one row for every cell of its grid, for every
    member municipality and TOTAAL, with the grid's eenheid; and no row outside the grid. An
    indicator the catalogue marks not `volledig` (a target configured for some years) may
    lack cells, never have one outside the grid. -#}
{% test volledige_kubus(model) %}

with raster as (
    select indicator, gemeente, periode_begin, periode_eind, categorie, leeftijdsklasse,
        duurklasse, eenheid
    from {{ ref('int_kerncijfers_raster') }}
    where indicator in (select indicator from {{ model }})
),

indicatoren as (
    select * from {{ ref('indicatoren') }}
),

raster_met_totaal as (
    select * from raster
    union
    select indicator, 'TOTAAL', periode_begin, periode_eind, categorie, leeftijdsklasse,
        duurklasse, eenheid
    from raster
),

rijen as (
    select indicator, gemeente, periode_begin, periode_eind, categorie, leeftijdsklasse,
        duurklasse, eenheid, count(*) as aantal
    from {{ model }}
    group by all
)

select
    coalesce(raster_met_totaal.indicator, rijen.indicator) as indicator,
    coalesce(raster_met_totaal.gemeente, rijen.gemeente) as gemeente,
    coalesce(raster_met_totaal.periode_eind, rijen.periode_eind) as periode_eind,
    raster_met_totaal.eenheid as eenheid_raster,
    rijen.eenheid as eenheid_rij,
    rijen.aantal
from raster_met_totaal
full outer join rijen
    on {{ zelfde_cel('raster_met_totaal', 'rijen') }}
    and rijen.eenheid is not distinct from raster_met_totaal.eenheid
left join indicatoren on indicatoren.indicator = raster_met_totaal.indicator
where raster_met_totaal.indicator is null
   or (rijen.indicator is null and indicatoren.volledig)
   or rijen.aantal <> 1

{% endtest %}
