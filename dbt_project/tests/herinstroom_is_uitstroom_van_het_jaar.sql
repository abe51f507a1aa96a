{#- The four re-entry cells of a year add up to that year's outflow: every benefit that flowed
    out of bijstand in the year, in every member municipality and in total. -#}

with herinstroom as (
    select gemeente, periode_begin, periode_eind, sum(waarde) as waarde
    from {{ ref('bijstand_herinstroom') }}
    group by all
),

gemeenten as (
    select gemeente_code from {{ source('organisatie', 'gemeenten') }}
),

uitstroom as (
    select gemeente_code as gemeente, year(einddatum) as jaar, count(*) as waarde
    from {{ ref('int_bijstand_uitstroom') }}
    where gemeente_code in (select gemeente_code from gemeenten)
    group by all
),

met_totaal as (
    select * from uitstroom
    union all
    select 'TOTAAL', jaar, sum(waarde) from uitstroom group by jaar
)

select herinstroom.*, met_totaal.waarde as uitstroom
from herinstroom
left join met_totaal
    on met_totaal.gemeente = herinstroom.gemeente
    and met_totaal.jaar = year(herinstroom.periode_eind)
where herinstroom.waarde <> coalesce(met_totaal.waarde, 0)
