{#- Per vintage which period each domain's source covered (dekking), after this run: every
    vintage published before (source historie), with this run's coverage as that of its export
    date (a rerun on the same export date replaces it: the delivery is the same). The verkenner
    shows a figure of a vintage outside its coverage as missing, not as zero, as the report
    does. -#}
{{ config(schema='historie', alias='dekking') }}

with vorige as (
    select * from {{ source('historie', 'historie_dekking') }}
),

dekking as (
    select * from {{ ref('dekking') }}
),

levering as (
    select * from {{ source('levering', 'levering') }}
),

deze as (
    select dekking.*, levering.exportdatum
    from dekking cross join levering
),

behouden as (
    select vorige.*
    from vorige
    where vorige.exportdatum is distinct from (select exportdatum from levering)
),

final as (
    select domein, bestand, rijen, eerste_datum, laatste_datum, exportdatum from behouden
    union all
    select domein, bestand, rijen, eerste_datum, laatste_datum, exportdatum from deze
)

select * from final
order by exportdatum nulls first, domein
