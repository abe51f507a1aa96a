{#- For the years the run gives the instroom of (Y-1 and Y), the instroom cohort summed over
    the age classes is the instroom, in every municipality and in total. -#}

with cohort as (
    select gemeente, periode_begin, periode_eind, sum(waarde) as waarde
    from {{ ref('bijstand_instroomcohort') }}
    group by all
),

instroom as (
    select * from {{ ref('bijstand_instroom') }}
)

select instroom.gemeente, instroom.periode_eind, instroom.waarde, cohort.waarde as cohort
from instroom
join cohort
    on cohort.gemeente = instroom.gemeente
    and cohort.periode_begin = instroom.periode_begin
    and cohort.periode_eind = instroom.periode_eind
where cohort.waarde <> instroom.waarde
