{#- The revisions: every figure of this run whose value differs from the same cell in the
    vintage it is compared with (the latest other export date in the history: the previous
    delivery, or, for a delivery older than the current publication's that the analyst chose
    to publish, the newer one it replaces), with both values, the difference, both export
    dates and both statuses. A change to a figure that was definitief before is a warning the
    verantwoording lists one by one. -#}

with vorige as (
    select * from {{ source('historie', 'historie_kerncijfers') }}
),

kerncijfers as (
    select * from {{ ref('kerncijfers') }}
),

levering as (
    select * from {{ source('levering', 'levering') }}
),

vorige_exportdatum as (
    select max(vorige.exportdatum) as exportdatum
    from vorige cross join levering
    where vorige.exportdatum is distinct from levering.exportdatum
),

vorige_vintage as (
    select vorige.*
    from vorige
    join vorige_exportdatum on vorige_exportdatum.exportdatum = vorige.exportdatum
),

vergeleken as (
    select
        kerncijfers.indicator,
        kerncijfers.gemeente,
        kerncijfers.periode_begin,
        kerncijfers.periode_eind,
        kerncijfers.categorie,
        kerncijfers.leeftijdsklasse,
        kerncijfers.duurklasse,
        kerncijfers.eenheid,
        vorige_vintage.waarde as vorige_waarde,
        kerncijfers.waarde,
        kerncijfers.waarde - vorige_vintage.waarde as verschil,
        vorige_vintage.exportdatum as vorige_exportdatum,
        levering.exportdatum,
        vorige_vintage.status as vorige_status,
        kerncijfers.status
    from kerncijfers
    join vorige_vintage
        on {{ zelfde_cel('kerncijfers', 'vorige_vintage') }}
    cross join levering
),

final as (
    select * from vergeleken
    where abs(verschil) > 0.000001
)

select * from final
order by indicator, gemeente, periode_begin nulls first, periode_eind,
    categorie nulls first, leeftijdsklasse nulls first, duurklasse nulls first
