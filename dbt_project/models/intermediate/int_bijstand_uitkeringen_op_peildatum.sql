{#- Bijstand benefits running on each reference date, with the age class of the aanvrager and
    whether an ARBEID income of more than zero is booked on the benefit for the calendar
    month of the date. -#}

with uitkeringen as (
    select * from {{ ref('int_bijstand_uitkeringen') }}
),

aanvragers as (
    select * from {{ ref('int_bijstand_lidmaatschappen') }}
    where rol = 'AANVRAGER'
),

inkomsten as (
    select * from {{ ref('stg_inkomsten') }}
),

peildata as (
    select * from {{ ref('int_peildata') }}
),

leeftijdsklassen as (
    select * from {{ ref('leeftijdsklassen') }}
),

lopend as (
    select peildata.peildatum, uitkeringen.*
    from uitkeringen
    join peildata on {{ loopt_op('uitkeringen.begindatum', 'uitkeringen.einddatum', 'peildata.peildatum') }}
),

peilmaanden as (
    select distinct date_trunc('month', peildatum) as maand_begin from peildata
),

-- Only the months of a reference date matter: the other months' incomes are not read.
maanden_met_arbeid as (
    select distinct uitkering_id, maand_begin
    from inkomsten
    where soort = 'ARBEID' and bedrag > 0
      and maand_begin in (select maand_begin from peilmaanden)
),

met_aanvrager as (
    select
        lopend.peildatum,
        lopend.uitkering_id,
        lopend.gemeente_code,
        lopend.regeling,
        aanvragers.client_id as aanvrager_id,
        {{ leeftijd_op('aanvragers.geboortedatum', 'lopend.peildatum') }} as leeftijd_aanvrager,
        maanden_met_arbeid.uitkering_id is not null as heeft_inkomsten_uit_arbeid
    from lopend
    join aanvragers on aanvragers.uitkering_id = lopend.uitkering_id
    left join maanden_met_arbeid
        on maanden_met_arbeid.uitkering_id = lopend.uitkering_id
        and maanden_met_arbeid.maand_begin = date_trunc('month', lopend.peildatum)
),

met_klasse as (
    select met_aanvrager.*, leeftijdsklassen.leeftijdsklasse
    from met_aanvrager
    join leeftijdsklassen
        on {{ in_klasse('met_aanvrager.leeftijd_aanvrager', 'leeftijdsklassen.ondergrens', 'leeftijdsklassen.bovengrens') }}
)

select * from met_klasse
