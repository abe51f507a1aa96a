{#- The complete grid of the kerncijfers table: for every indicator, every cell of its
    breakdown for every member municipality (TOTAAL only for a regional figure) and every
    reference date or period of the run (or every cohort year). A category that looks some
    years past its period (seed indicator_categorieen, jaren_na: still on bijstand after n
    years, re-entry within 24 months) exists only when that later year ends by the report year
    and the export date; `kennisdatum` is the last day its figure depends on. -#}

with indicatoren as (
    select * from {{ ref('indicatoren') }}
),

categorieen as (
    select * from {{ ref('indicator_categorieen') }}
),

leeftijdsklassen as (
    select * from {{ ref('leeftijdsklassen') }}
),

duurklassen as (
    select * from {{ ref('duurklassen') }}
),

gemeenten as (
    select * from {{ source('organisatie', 'gemeenten') }}
),

peildata as (
    select * from {{ ref('int_peildata') }}
),

perioden as (
    select * from {{ ref('int_perioden') }}
),

cohortjaren as (
    select * from {{ ref('int_cohortjaren') }}
),

run as (
    select * from {{ source('levering', 'run') }}
),

levering as (
    select * from {{ source('levering', 'levering') }}
),

tijden as (
    select 'peildata' as perioden, null::date as periode_begin, peildatum as periode_eind
    from peildata
    union all
    select 'tertialen_en_jaren', periode_begin, periode_eind from perioden
    union all
    select 'jaren', periode_begin, periode_eind from perioden where periodesoort = 'jaar'
    union all
    select 'cohortjaren', periode_begin, periode_eind from cohortjaren
),

cellen as (
    select indicator, null as categorie, null as leeftijdsklasse, null as duurklasse,
        null as eenheid, null::integer as jaren_na
    from indicatoren where uitsplitsing = 'geen'
    union all
    select indicatoren.indicator, categorieen.categorie, null, null, categorieen.eenheid,
        categorieen.jaren_na
    from indicatoren
    join categorieen on categorieen.indicator = indicatoren.indicator
    where indicatoren.uitsplitsing = 'categorie'
    union all
    select indicator, null, leeftijdsklasse, null, null, null
    from indicatoren cross join leeftijdsklassen
    where uitsplitsing = 'leeftijdsklasse'
    union all
    select indicator, null, null, duurklasse, null, null
    from indicatoren cross join duurklassen
    where uitsplitsing = 'duurklasse'
    union all
    select indicatoren.indicator, categorieen.categorie, leeftijdsklassen.leeftijdsklasse, null,
        categorieen.eenheid, categorieen.jaren_na
    from indicatoren
    join categorieen on categorieen.indicator = indicatoren.indicator
    cross join leeftijdsklassen
    where indicatoren.uitsplitsing = 'categorie_leeftijdsklasse'
    union all
    select indicator, null, leeftijdsklasse, duurklasse, null, null
    from indicatoren cross join leeftijdsklassen cross join duurklassen
    where uitsplitsing = 'leeftijdsklasse_duurklasse'
),

gebieden as (
    select 'gemeenten' as gebied, gemeente_code as gemeente from gemeenten
    union all
    select 'regio', 'TOTAAL'
),

raster as (
    select
        indicatoren.indicator,
        gebieden.gemeente,
        tijden.periode_begin,
        tijden.periode_eind,
        cellen.categorie::varchar as categorie,
        cellen.leeftijdsklasse::varchar as leeftijdsklasse,
        cellen.duurklasse::varchar as duurklasse,
        coalesce(cellen.eenheid, indicatoren.eenheid) as eenheid,
        (tijden.periode_eind + to_years(coalesce(cellen.jaren_na, 0)))::date as kennisdatum
    from indicatoren
    join tijden on tijden.perioden = indicatoren.perioden
    join cellen on cellen.indicator = indicatoren.indicator
    join gebieden on gebieden.gebied = indicatoren.gebied
    cross join run
    cross join levering
    where cellen.jaren_na is null
       or (year(tijden.periode_eind) + cellen.jaren_na <= run.jaar
           and (tijden.periode_eind + to_years(cellen.jaren_na))::date
               <= coalesce(levering.exportdatum, date '9999-12-31'))
)

select * from raster
