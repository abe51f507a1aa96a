{#- The complete grid of the kerncijfers table: for every indicator, every cell of its
    breakdown for every member municipality (TOTAAL only for a regional figure) and every
    reference date or period of the run. -#}

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

tijden as (
    select 'peildata' as perioden, null::date as periode_begin, peildatum as periode_eind
    from peildata
    union all
    select 'tertialen_en_jaren', periode_begin, periode_eind from perioden
    union all
    select 'jaren', periode_begin, periode_eind from perioden where periodesoort = 'jaar'
),

cellen as (
    select indicator, null as categorie, null as leeftijdsklasse, null as duurklasse,
        null as eenheid
    from indicatoren where uitsplitsing = 'geen'
    union all
    select indicatoren.indicator, categorieen.categorie, null, null, categorieen.eenheid
    from indicatoren
    join categorieen on categorieen.indicator = indicatoren.indicator
    where indicatoren.uitsplitsing = 'categorie'
    union all
    select indicator, null, leeftijdsklasse, null, null
    from indicatoren cross join leeftijdsklassen
    where uitsplitsing = 'leeftijdsklasse'
    union all
    select indicator, null, leeftijdsklasse, duurklasse, null
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
        coalesce(cellen.eenheid, indicatoren.eenheid) as eenheid
    from indicatoren
    join tijden on tijden.perioden = indicatoren.perioden
    join cellen on cellen.indicator = indicatoren.indicator
    join gebieden on gebieden.gebied = indicatoren.gebied
)

select * from raster
