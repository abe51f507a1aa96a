{#- The outflow by duration class adds up to the outflow by reason: the same benefits, in
    every municipality, period and in total. -#}

with naar_duur as (
    select gemeente, periode_begin, periode_eind, sum(waarde) as waarde
    from {{ ref('bijstand_uitstroom_naar_duur') }}
    group by all
),

naar_reden as (
    select gemeente, periode_begin, periode_eind, sum(waarde) as waarde
    from {{ ref('bijstand_uitstroom') }}
    group by all
)

select naar_reden.*, naar_duur.waarde as naar_duur
from naar_reden
full outer join naar_duur
    on naar_duur.gemeente = naar_reden.gemeente
    and naar_duur.periode_begin = naar_reden.periode_begin
    and naar_duur.periode_eind = naar_reden.periode_eind
where naar_duur.waarde is distinct from naar_reden.waarde
