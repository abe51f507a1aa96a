{#- The sets of cells that add up, with the groups of afgeleide_cellen in them: for each, the
    total's cell and the parts' cells (as optelverbanden lists the others). With them,
    disclosure control sees every group a reader could compute by adding or subtracting
    published cells: the outflow over its categories, durations and re-entry windows; the
    cumulative re-entry windows; a cohort over its age classes; and each difference of two
    nested cohort cells. -#}

with kerncijfers as (
    select {{ cel('kerncijfers') }} as cel, kerncijfers.*
    from {{ ref('kerncijfers') }} as kerncijfers
),

afgeleid as (
    select * from {{ ref('afgeleide_cellen') }}
),

categorieen as (
    select * from {{ ref('indicator_categorieen') }}
),

termijnen as (
    select * from {{ ref('herinstroomtermijnen') }}
),

uitstroom as (
    select 'uitstroom_' || split_part(deel.indicator, '.', 2) as optelling,
        totaal.cel as totaal, deel.cel as deel
    from afgeleid as totaal
    join kerncijfers as deel
        on deel.indicator in ('bijstand.uitstroom', 'bijstand.uitstroom_naar_duur', 'bijstand.herinstroom')
        and deel.gemeente = totaal.gemeente
        and deel.periode_begin = totaal.periode_begin
        and deel.periode_eind = totaal.periode_eind
    where totaal.indicator = 'afgeleid.uitstroom_totaal'
),

herinstroom as (
    select kerncijfers.*, termijnen.binnen_maanden
    from kerncijfers
    join termijnen on termijnen.categorie = kerncijfers.categorie
    where kerncijfers.indicator = 'bijstand.herinstroom'
),

herinstroom_termijnen as (
    select 'herinstroom_binnen' as optelling, totaal.cel as totaal, deel.cel as deel
    from afgeleid as totaal
    join herinstroom as deel
        on deel.gemeente = totaal.gemeente
        and deel.periode_eind = totaal.periode_eind
        and deel.binnen_maanden <= totaal.categorie::integer
    where totaal.indicator = 'afgeleid.herinstroom_binnen'
    union all
    select 'herinstroom_niet_binnen', totaal.cel, deel.cel
    from afgeleid as totaal
    join herinstroom as deel
        on deel.gemeente = totaal.gemeente
        and deel.periode_eind = totaal.periode_eind
        and (deel.binnen_maanden is null or deel.binnen_maanden > totaal.categorie::integer)
    where totaal.indicator = 'afgeleid.herinstroom_niet_binnen'
),

-- the cohorts as chains of cells: step 0 the inflow, step n still on bijstand after n years
keten as (
    select cel, gemeente, periode_eind, leeftijdsklasse, 0 as stap, true as per_klasse
    from kerncijfers where indicator = 'bijstand.instroomcohort'
    union all
    select kerncijfers.cel, kerncijfers.gemeente, kerncijfers.periode_eind,
        kerncijfers.leeftijdsklasse, categorieen.jaren_na, true
    from kerncijfers
    join categorieen
        on categorieen.indicator = kerncijfers.indicator
        and categorieen.categorie = kerncijfers.categorie
    where kerncijfers.indicator = 'bijstand.cohort_nog_in_bijstand'
    union all
    select afgeleid.cel, afgeleid.gemeente, afgeleid.periode_eind, null, 0, false
    from afgeleid where afgeleid.indicator = 'afgeleid.instroomcohort'
    union all
    select afgeleid.cel, afgeleid.gemeente, afgeleid.periode_eind, null, categorieen.jaren_na, false
    from afgeleid
    join categorieen
        on categorieen.indicator = 'bijstand.cohort_nog_in_bijstand'
        and categorieen.categorie = afgeleid.categorie
    where afgeleid.indicator = 'afgeleid.cohort_nog_in_bijstand'
),

cohort_klassen as (
    select 'cohort_leeftijden' as optelling, alle.cel as totaal, klasse.cel as deel
    from keten as alle
    join keten as klasse
        on klasse.gemeente = alle.gemeente
        and klasse.periode_eind = alle.periode_eind
        and klasse.stap = alle.stap
        and klasse.per_klasse
    where not alle.per_klasse
),

cohort_verlaten as (
    select
        'cohort_verlaten' as optelling,
        eerder.cel as totaal,
        unnest([later.cel, verlaten.cel]) as deel,
        verlaten.cel as groep
    from afgeleid as verlaten
    join keten as eerder
        on eerder.gemeente = verlaten.gemeente
        and eerder.periode_eind = verlaten.periode_eind
        and eerder.leeftijdsklasse is not distinct from verlaten.leeftijdsklasse
        and eerder.stap = split_part(verlaten.categorie, '-', 1)::integer
    join keten as later
        on later.gemeente = verlaten.gemeente
        and later.periode_eind = verlaten.periode_eind
        and later.leeftijdsklasse is not distinct from verlaten.leeftijdsklasse
        and later.stap = split_part(verlaten.categorie, '-', 2)::integer
    where verlaten.indicator = 'afgeleid.cohort_verlaten'
),

-- a set is named by its relation and its total's cell; a cohort's cell is the total of a
-- set for each later cell, so those are named by the group they hold
final as (
    select optelling || ':' || coalesce(groep, totaal) as verband, optelling, totaal, deel,
        true as exact
    from (
        select *, null as groep from uitstroom
        union all select *, null from herinstroom_termijnen
        union all select *, null from cohort_klassen
        union all select * from cohort_verlaten
    )
)

select * from final
