with bijstand_uitkeringen_op_peildatum as (
    select * from {{ ref('int_bijstand_uitkeringen_op_peildatum') }}
),

telling as (
    select
        gemeente_code as gemeente,
        null::date as periode_begin,
        peildatum as periode_eind,
        null::varchar as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from bijstand_uitkeringen_op_peildatum
    where heeft_inkomsten_uit_arbeid
    group by all
),

final as (
    {{ kerncijfers_rijen('bijstand.aanvullend_arbeid', 'telling') }}
)

select * from final
