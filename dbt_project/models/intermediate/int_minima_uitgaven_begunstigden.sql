{#- Who the amounts of minima.uitgaven were paid to, per cell: the number of beneficiaries
    whose payments in the cell do not net to zero, and the share of the largest one in the
    cell (the absolute net amounts), for the member municipalities and for TOTAAL, where a
    beneficiary of two municipalities counts once. The magnitude rule of the open data reads
    it (geheimhouding_primair). -#}

with verstrekkingen as (
    {{ op_huidige_grenzen(ref('stg_minima_verstrekkingen')) }}
),

gemeenten as (
    select * from {{ source('organisatie', 'gemeenten') }}
),

jaren as (
    select * from {{ ref('int_perioden') }}
    where periodesoort = 'jaar'
),

per_begunstigde as (
    select
        verstrekkingen.gemeente_code as gemeente,
        jaren.periode_begin,
        jaren.periode_eind,
        verstrekkingen.regeling as categorie,
        verstrekkingen.begunstigde_id,
        sum(verstrekkingen.bedrag) as bedrag
    from verstrekkingen
    join jaren
        on verstrekkingen.betaaldatum between jaren.periode_begin and jaren.periode_eind
    where verstrekkingen.gemeente_code in (select gemeente_code from gemeenten)
    group by all
),

met_totaal as (
    select * from per_begunstigde
    union all
    select 'TOTAAL', periode_begin, periode_eind, categorie, begunstigde_id, sum(bedrag)
    from per_begunstigde
    group by all
),

final as (
    select
        'minima.uitgaven' as indicator,
        gemeente,
        periode_begin,
        periode_eind,
        categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) filter (where bedrag <> 0) as begunstigden,
        cast(max(abs(bedrag)) / nullif(sum(abs(bedrag)), 0) as double) as grootste_aandeel
    from met_totaal
    group by all
)

select * from final
