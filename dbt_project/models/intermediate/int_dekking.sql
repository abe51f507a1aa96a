{#- Which period each domain's source covers: from the first date its records show to the
    export date. For records that run from a begin to an end, that is the first ending: a full
    dump holds whatever ended from then on, and a record still running since long before says
    nothing of what ended in between (only when nothing has ended yet, the first begin); for
    events, the first payment, booking or decision. A figure outside that span, or for a
    domain without records, is not a fact but a gap; the report says so instead of showing
    zeros. -#}

with levering as (
    select * from {{ source('levering', 'levering') }}
),

bronnen as (
    select 'bijstand' as domein, 'uitkeringen.csv' as bestand, count(*) as rijen,
        coalesce(min(einddatum), min(begindatum)) as eerste_datum
    from {{ ref('stg_uitkeringen') }}
    union all
    select 'sw', 'sw_dienstverbanden.csv', count(*), coalesce(min(einddatum), min(begindatum))
    from {{ ref('stg_sw_dienstverbanden') }} where regeling = 'WSW'
    union all
    select 'nieuw_beschut', 'sw_dienstverbanden.csv', count(*), min(begindatum)
    from {{ ref('stg_sw_dienstverbanden') }} where regeling <> 'WSW'
    union all
    select 'schuldhulp', 'schuldhulp_producten.csv', count(*), coalesce(min(einddatum), min(begindatum))
    from {{ ref('stg_schuldhulp_producten') }}
    union all
    select 'minima', 'minima_verstrekkingen.csv', count(*), min(betaaldatum)
    from {{ ref('stg_minima_verstrekkingen') }}
    union all
    select 'buig', 'buig_boekingen.csv', count(*), min(boekdatum)
    from {{ ref('stg_buig_boekingen') }}
    union all
    select 'tozo', 'tozo_besluiten.csv', count(*), min(besluitdatum)
    from {{ ref('stg_tozo_besluiten') }}
    union all
    select 'banenafspraak', 'banenafspraak_plaatsingen.csv', count(*),
        coalesce(min(einddatum), min(begindatum))
    from {{ ref('stg_banenafspraak_plaatsingen') }}
),

final as (
    select
        bronnen.domein,
        bronnen.bestand,
        bronnen.rijen,
        bronnen.eerste_datum,
        levering.exportdatum as laatste_datum
    from bronnen
    cross join levering
)

select * from final
