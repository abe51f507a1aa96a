with trajecten as (
    select * from {{ ref('int_schuldhulp_producten') }}
    where is_traject
),

jaren as (
    select * from {{ ref('int_perioden') }}
    where periodesoort = 'jaar'
),

telling as (
    select
        trajecten.gemeente_code as gemeente,
        jaren.periode_begin,
        jaren.periode_eind,
        trajecten.product as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from trajecten
    join jaren
        on trajecten.begindatum between jaren.periode_begin and jaren.periode_eind
    group by all
),

final as (
    {{ kerncijfers_rijen('schuldhulp.instroom', 'telling') }}
)

select * from final
