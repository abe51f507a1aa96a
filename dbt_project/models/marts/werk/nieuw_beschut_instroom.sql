with dienstverbanden as (
    {{ op_huidige_grenzen(ref('stg_sw_dienstverbanden')) }}
    where regeling in ('NIEUW_BESCHUT', 'WACHTLIJSTBAAN')
),

jaren as (
    select * from {{ ref('int_perioden') }}
    where periodesoort = 'jaar'
),

telling as (
    select
        dienstverbanden.gemeente_code as gemeente,
        jaren.periode_begin,
        jaren.periode_eind,
        dienstverbanden.regeling as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from dienstverbanden
    join jaren
        on dienstverbanden.begindatum between jaren.periode_begin and jaren.periode_eind
    group by all
),

final as (
    {{ kerncijfers_rijen('nieuw_beschut.instroom', 'telling') }}
)

select * from final
