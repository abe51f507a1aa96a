with verstrekkingen as (
    {{ op_huidige_grenzen(ref('stg_minima_verstrekkingen')) }}
),

jaren as (
    select * from {{ ref('int_perioden') }}
    where periodesoort = 'jaar'
),

telling as (
    select
        verstrekkingen.gemeente_code as gemeente,
        jaren.periode_begin,
        jaren.periode_eind,
        verstrekkingen.regeling as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        sum(verstrekkingen.bedrag) as waarde
    from verstrekkingen
    join jaren
        on verstrekkingen.betaaldatum between jaren.periode_begin and jaren.periode_eind
    group by all
),

final as (
    {{ kerncijfers_rijen('minima.uitgaven', 'telling') }}
)

select * from final
