{#- The reference dates of report year Y: the ends of the tertialen (seed tertialen) from
    31-12-(Y-2) through 31-12-Y, plus the extra dates the run asks for; a date after the
    delivery's export date has no figures yet. -#}

with run as (
    select * from {{ source('levering', 'run') }}
),

levering as (
    select * from {{ source('levering', 'levering') }}
),

tertialen as (
    select * from {{ ref('tertialen') }}
),

tertiaaleinden as (
    select make_date(jaren.jaar, tertialen.eind_maand, tertialen.eind_dag) as peildatum
    from (select unnest(range(run.jaar - 2, run.jaar + 1)) as jaar from run) as jaren
    cross join tertialen
),

standaard as (
    select peildatum
    from tertiaaleinden cross join run
    where peildatum between make_date(run.jaar - 2, 12, 31) and make_date(run.jaar, 12, 31)
),

extra as (
    select unnest(run.extra_peildata) as peildatum from run
),

peildata as (
    select peildatum, true as is_standaard from standaard
    union all
    select peildatum, false as is_standaard from extra
    where peildatum not in (select peildatum from standaard)
),

final as (
    select distinct peildata.peildatum, peildata.is_standaard
    from peildata cross join levering
    where peildata.peildatum <= coalesce(levering.exportdatum, date '9999-12-31')
)

select * from final
