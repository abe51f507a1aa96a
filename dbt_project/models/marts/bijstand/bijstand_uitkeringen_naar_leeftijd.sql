with bijstand_uitkeringen_op_peildatum as (
    select * from {{ ref('int_bijstand_uitkeringen_op_peildatum') }}
),

telling as (
    select
        gemeente_code as gemeente,
        null::date as periode_begin,
        peildatum as periode_eind,
        null::varchar as categorie,
        leeftijdsklasse as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from bijstand_uitkeringen_op_peildatum
    group by all
),

final as (
    {{ kerncijfers_rijen('bijstand.uitkeringen_naar_leeftijd', 'telling') }}
)

select * from final
