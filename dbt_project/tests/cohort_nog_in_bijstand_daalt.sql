{#- Still on bijstand after n years never rises with n: after 1 year at most the cohort's
    inflow, after n + 1 years at most as after n, in every cell of the grid. -#}

with nog as (
    select nog.*, categorieen.jaren_na
    from {{ ref('bijstand_cohort_nog_in_bijstand') }} as nog
    join {{ ref('indicator_categorieen') }} as categorieen
        on categorieen.indicator = nog.indicator
        and categorieen.categorie = nog.categorie
),

cohort as (
    select *, 0 as jaren_na from {{ ref('bijstand_instroomcohort') }}
),

reeks as (
    select gemeente, periode_eind, leeftijdsklasse, jaren_na, waarde from nog
    union all
    select gemeente, periode_eind, leeftijdsklasse, jaren_na, waarde from cohort
)

select later.*, eerder.waarde as eerder
from reeks as later
join reeks as eerder
    on eerder.gemeente = later.gemeente
    and eerder.periode_eind = later.periode_eind
    and eerder.leeftijdsklasse = later.leeftijdsklasse
    and eerder.jaren_na = later.jaren_na - 1
where later.waarde > eerder.waarde
