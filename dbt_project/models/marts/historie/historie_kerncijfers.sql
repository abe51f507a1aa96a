{#- The history of published figures after this run (historie.kerncijfers): every vintage
    published before (source historie), with this run's figures as the vintage of its export
    date. A run on a delivery of an export date that already has a vintage replaces that
    vintage's figures it computes (a rerun never duplicates them); figures of that vintage it
    does not compute (another report year) stay. -#}
{{ config(schema='historie', alias='kerncijfers') }}

with vorige as (
    select * from {{ source('historie', 'historie_kerncijfers') }}
),

kerncijfers as (
    select * from {{ ref('kerncijfers') }}
),

levering as (
    select * from {{ source('levering', 'levering') }}
),

run as (
    select * from {{ source('levering', 'run') }}
),

deze as (
    select kerncijfers.*, levering.exportdatum, run.run_id
    from kerncijfers cross join levering cross join run
),

behouden as (
    select vorige.*
    from vorige
    where not exists (
        select 1 from deze
        where deze.exportdatum is not distinct from vorige.exportdatum
          and {{ zelfde_cel('vorige', 'deze') }}
    )
),

final as (
    select
        indicator, gemeente, periode_begin, periode_eind, categorie, leeftijdsklasse,
        duurklasse, waarde, eenheid, status, reeksbreuk, exportdatum, run_id
    from behouden
    union all
    select
        indicator, gemeente, periode_begin, periode_eind, categorie, leeftijdsklasse,
        duurklasse, waarde, eenheid, status, reeksbreuk, exportdatum, run_id
    from deze
)

select * from final
order by exportdatum nulls first, indicator, gemeente, periode_begin nulls first, periode_eind,
    categorie nulls first, leeftijdsklasse nulls first, duurklasse nulls first
