{#- The periods of report year Y: the tertialen (seed tertialen) and the calendar year, for
    Y-1 and Y; a period that ends after the delivery's export date has no figures yet. -#}

with run as (
    select * from {{ source('levering', 'run') }}
),

levering as (
    select * from {{ source('levering', 'levering') }}
),

tertialen as (
    select * from {{ ref('tertialen') }}
),

jaren as (
    select unnest([run.jaar - 1, run.jaar]) as jaar from run
),

perioden as (
    select
        make_date(jaren.jaar, tertialen.begin_maand, 1) as periode_begin,
        make_date(jaren.jaar, tertialen.eind_maand, tertialen.eind_dag) as periode_eind,
        'tertiaal' as periodesoort,
        jaren.jaar,
        tertialen.tertiaal
    from jaren cross join tertialen
    union all
    select make_date(jaar, 1, 1), make_date(jaar, 12, 31), 'jaar', jaar, null
    from jaren
),

final as (
    select perioden.*
    from perioden cross join levering
    where perioden.periode_eind <= coalesce(levering.exportdatum, date '9999-12-31')
)

select * from final
