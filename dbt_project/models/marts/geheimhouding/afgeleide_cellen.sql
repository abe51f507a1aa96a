{#- Groups of people a reader can compute from published cells without any cell that shows
    them: disclosure control protects them as it protects a cell (a group of 1 to 4 must not
    be derivable), though they are never published themselves. One row per such group, keyed
    as a cell (its indicator starts with "afgeleid."):

    - afgeleid.uitstroom_totaal: the outflow of a period over all categories (bijstand.uitstroom,
      uitstroom_naar_duur and, for a whole year, herinstroom each add up to it);
    - afgeleid.herinstroom_binnen (categorie 12 or 24): back within 12 or 24 months, the sum
      of the re-entry windows up to it; afgeleid.herinstroom_niet_binnen (6 or 12): not back
      within 6 or 12 months, the outflow less those;
    - afgeleid.instroomcohort and afgeleid.cohort_nog_in_bijstand: a cohort over all age
      classes (leeftijdsklasse empty);
    - afgeleid.cohort_verlaten (categorie "a-b"): who left a cohort between a and b years
      after inflow (0: the inflow itself), for every a < b the published cells reach: the
      difference of two nested cells, per age class and over all. -#}

with kerncijfers as (
    select * from {{ ref('kerncijfers') }}
),

categorieen as (
    select * from {{ ref('indicator_categorieen') }}
),

termijnen as (
    select * from {{ ref('herinstroomtermijnen') }}
),

-- the outflow of every period the published cells add up over
uitstroom_totaal as (
    select
        'afgeleid.uitstroom_totaal' as indicator, gemeente, periode_begin, periode_eind,
        null::varchar as categorie, null::varchar as leeftijdsklasse,
        null::varchar as duurklasse, max(waarde) as waarde
    from (
        select gemeente, periode_begin, periode_eind, indicator, sum(waarde) as waarde
        from kerncijfers
        where indicator in ('bijstand.uitstroom', 'bijstand.uitstroom_naar_duur', 'bijstand.herinstroom')
        group by all
    )
    group by all
),

-- re-entry: back within the window, cumulatively, and not back within it
herinstroom as (
    select kerncijfers.*, termijnen.binnen_maanden
    from kerncijfers
    join termijnen on termijnen.categorie = kerncijfers.categorie
    where kerncijfers.indicator = 'bijstand.herinstroom'
),

herinstroom_binnen as (
    select
        'afgeleid.herinstroom_binnen' as indicator, binnen.gemeente, binnen.periode_begin,
        binnen.periode_eind, binnen.binnen_maanden::varchar as categorie,
        null::varchar as leeftijdsklasse, null::varchar as duurklasse,
        sum(deel.waarde) as waarde
    from herinstroom as binnen
    join herinstroom as deel
        on deel.gemeente = binnen.gemeente
        and deel.periode_eind = binnen.periode_eind
        and deel.binnen_maanden <= binnen.binnen_maanden
    where binnen.binnen_maanden is not null
    group by all
    having count(*) > 1  -- the first window is a published cell itself
),

herinstroom_niet_binnen as (
    select
        'afgeleid.herinstroom_niet_binnen' as indicator, binnen.gemeente, binnen.periode_begin,
        binnen.periode_eind, binnen.binnen_maanden::varchar as categorie,
        null::varchar as leeftijdsklasse, null::varchar as duurklasse,
        sum(later.waarde) as waarde
    from herinstroom as binnen
    join herinstroom as later
        on later.gemeente = binnen.gemeente
        and later.periode_eind = binnen.periode_eind
        and (later.binnen_maanden is null or later.binnen_maanden > binnen.binnen_maanden)
    where binnen.binnen_maanden is not null
    group by all
    having count(*) > 1  -- the last, open window is a published cell itself
),

-- the cohorts: each a chain of nested cells, inflow (step 0) then still on bijstand after n
keten_per_klasse as (
    select gemeente, periode_begin, periode_eind, leeftijdsklasse, 0 as stap, waarde
    from kerncijfers
    where indicator = 'bijstand.instroomcohort'
    union all
    select kerncijfers.gemeente, kerncijfers.periode_begin, kerncijfers.periode_eind,
        kerncijfers.leeftijdsklasse, categorieen.jaren_na, kerncijfers.waarde
    from kerncijfers
    join categorieen
        on categorieen.indicator = kerncijfers.indicator
        and categorieen.categorie = kerncijfers.categorie
    where kerncijfers.indicator = 'bijstand.cohort_nog_in_bijstand'
),

keten_alle as (
    select gemeente, periode_begin, periode_eind, null::varchar as leeftijdsklasse, stap,
        sum(waarde) as waarde
    from keten_per_klasse
    group by all
),

cohort_alle as (
    select
        case when stap = 0 then 'afgeleid.instroomcohort'
             else 'afgeleid.cohort_nog_in_bijstand' end as indicator,
        gemeente, periode_begin, periode_eind,
        case when stap = 0 then null
             else (select categorie from categorieen
                   where indicator = 'bijstand.cohort_nog_in_bijstand' and jaren_na = stap)
        end as categorie,
        null::varchar as leeftijdsklasse, null::varchar as duurklasse, waarde
    from keten_alle
),

keten as (
    select * from keten_per_klasse
    union all
    select * from keten_alle
),

cohort_verlaten as (
    select
        'afgeleid.cohort_verlaten' as indicator, eerder.gemeente, eerder.periode_begin,
        eerder.periode_eind, eerder.stap || '-' || later.stap as categorie,
        eerder.leeftijdsklasse, null::varchar as duurklasse,
        eerder.waarde - later.waarde as waarde
    from keten as eerder
    join keten as later
        on later.gemeente = eerder.gemeente
        and later.periode_eind = eerder.periode_eind
        and later.leeftijdsklasse is not distinct from eerder.leeftijdsklasse
        and later.stap > eerder.stap
),

cellen as (
    select * from uitstroom_totaal
    union all by name select * from herinstroom_binnen
    union all by name select * from herinstroom_niet_binnen
    union all by name select * from cohort_alle
    union all by name select * from cohort_verlaten
),

final as (
    select
        {{ cel('cellen') }} as cel,
        cellen.*,
        case
            when waarde > 0 and waarde < {{ var('geheimhouding_minimum_aantal') }}
                then 'klein_aantal'
        end as reden
    from cellen
)

select * from final
