{#- A beneficiary uses a scheme in a year when the payments to them under that scheme in that
    year (by betaaldatum) sum to more than zero: a payment that is fully recovered is spending,
    but not use. -#}

with verstrekkingen as (
    {{ op_huidige_grenzen(ref('stg_minima_verstrekkingen')) }}
    where regeling in (
        select categorie from {{ ref('indicator_categorieen') }} where indicator = 'minima.gebruik'
    )
),

jaren as (
    select * from {{ ref('int_perioden') }}
    where periodesoort = 'jaar'
),

per_begunstigde as (
    select
        verstrekkingen.gemeente_code,
        verstrekkingen.regeling,
        verstrekkingen.begunstigde_id,
        jaren.periode_begin,
        jaren.periode_eind,
        sum(verstrekkingen.bedrag) as bedrag
    from verstrekkingen
    join jaren
        on verstrekkingen.betaaldatum between jaren.periode_begin and jaren.periode_eind
    group by all
),

telling as (
    select
        gemeente_code as gemeente,
        periode_begin,
        periode_eind,
        regeling as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from per_begunstigde
    where bedrag > 0
    group by all
),

final as (
    {{ kerncijfers_rijen('minima.gebruik', 'telling') }}
)

select * from final
