{#- Whether the area of a figure was served whole on its date, or on every day of its period.
    A member municipality's area is its smallest areas (the municipalities that merged into
    it); an area the organisation did not serve then (its bediende_gebieden) makes the figure
    a break in the series (reeksbreuk), with the names of the areas missing. TOTAAL breaks
    where a member does. -#}

with gemeenten as (
    select * from {{ source('organisatie', 'gemeenten') }}
),

gebieden as (
    select * from {{ ref('int_gemeentecodes') }}
    where is_kleinste_gebied
),

bediend as (
    select * from {{ source('organisatie', 'bediende_gebieden') }}
),

tijden as (
    select distinct periode_begin, periode_eind from {{ ref('int_kerncijfers_raster') }}
),

gebieden_per_tijd as (
    select
        gemeenten.gemeente_code as gemeente,
        tijden.periode_begin,
        tijden.periode_eind,
        gebieden.naam,
        exists (
            select 1 from bediend
            where bediend.gemeente_code = gebieden.gemeente_code
              and bediend.bediend_vanaf <= coalesce(tijden.periode_begin, tijden.periode_eind)
              and (bediend.bediend_tot is null or bediend.bediend_tot >= tijden.periode_eind)
        ) as is_bediend
    from gemeenten
    join gebieden on gebieden.huidige_code = gemeenten.gemeente_code
    cross join tijden
),

per_gemeente as (
    select
        gemeente,
        periode_begin,
        periode_eind,
        bool_or(not is_bediend) as reeksbreuk,
        list_sort(list(naam) filter (where not is_bediend)) as niet_bediend
    from gebieden_per_tijd
    group by all
),

totaal as (
    select
        'TOTAAL' as gemeente,
        periode_begin,
        periode_eind,
        bool_or(reeksbreuk) as reeksbreuk,
        list_sort(flatten(list(niet_bediend))) as niet_bediend
    from per_gemeente
    group by all
),

final as (
    select * from per_gemeente
    union all
    select * from totaal
)

select * from final
