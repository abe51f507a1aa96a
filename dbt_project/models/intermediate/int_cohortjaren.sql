{#- The cohort years of the duration and cohort figures: the calendar years J from the first
    for which the bijstand records cover the `aansluitdagen` (30) days before 1 January J (the
    bijstand domain's first date in int_dekking lies on or before 2 December of J - 1: without
    them a benefit of early January cannot be told from a continuation) through the report
    year; a year that ends after the export date has no figures yet. -#}

with run as (
    select * from {{ source('levering', 'run') }}
),

levering as (
    select * from {{ source('levering', 'levering') }}
),

bijstand as (
    select * from {{ ref('int_dekking') }}
    where domein = 'bijstand' and eerste_datum is not null
),

jaren as (
    select unnest(range(year(bijstand.eerste_datum), run.jaar + 1)) as jaar, bijstand.eerste_datum
    from bijstand cross join run
),

final as (
    select
        jaren.jaar,
        make_date(jaren.jaar, 1, 1) as periode_begin,
        make_date(jaren.jaar, 12, 31) as periode_eind
    from jaren cross join levering
    where jaren.eerste_datum <= make_date(jaren.jaar, 1, 1) - {{ var('aansluitdagen') }}
      and make_date(jaren.jaar, 12, 31) <= coalesce(levering.exportdatum, date '9999-12-31')
)

select * from final
