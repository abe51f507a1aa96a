{#- Persons on bijstand on each reference date: a membership running on the date whose benefit
    runs too, with the person's age and age class, and the duration (whole months since the
    start of the continuous period that contains the date) and duration class. -#}

with lidmaatschappen as (
    select * from {{ ref('int_bijstand_lidmaatschappen') }}
),

perioden as (
    select * from {{ ref('int_bijstand_perioden') }}
),

peildata as (
    select * from {{ ref('int_peildata') }}
),

leeftijdsklassen as (
    select * from {{ ref('leeftijdsklassen') }}
),

duurklassen as (
    select * from {{ ref('duurklassen') }}
),

lopend as (
    select peildata.peildatum, lidmaatschappen.*
    from lidmaatschappen
    join peildata on {{ loopt_op('lidmaatschappen.lid_begin', 'lidmaatschappen.lid_eind', 'peildata.peildatum') }}
),

met_duur as (
    select
        lopend.*,
        perioden.periode_begin,
        {{ leeftijd_op('lopend.geboortedatum', 'lopend.peildatum') }} as leeftijd,
        {{ hele_maanden('perioden.periode_begin', 'lopend.peildatum') }} as duur_maanden
    from lopend
    join perioden
        on perioden.client_id = lopend.client_id
        and {{ loopt_op('perioden.periode_begin', 'perioden.periode_eind', 'lopend.peildatum') }}
),

met_klassen as (
    select
        met_duur.*,
        leeftijdsklassen.leeftijdsklasse,
        duurklassen.duurklasse
    from met_duur
    join leeftijdsklassen
        on {{ in_klasse('met_duur.leeftijd', 'leeftijdsklassen.ondergrens', 'leeftijdsklassen.bovengrens') }}
    join duurklassen
        on {{ in_klasse('met_duur.duur_maanden', 'duurklassen.ondergrens_maanden', 'duurklassen.bovengrens_maanden') }}
)

select * from met_klassen
