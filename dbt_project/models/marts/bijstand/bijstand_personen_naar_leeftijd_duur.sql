with bijstand_personen_op_peildatum as (
    select * from {{ ref('int_bijstand_personen_op_peildatum') }}
),

telling as (
    select
        gemeente_code as gemeente,
        null::date as periode_begin,
        peildatum as periode_eind,
        null::varchar as categorie,
        leeftijdsklasse as leeftijdsklasse,
        duurklasse as duurklasse,
        count(distinct client_id) as waarde
    from bijstand_personen_op_peildatum
    group by all
),

final as (
    {{ kerncijfers_rijen('bijstand.personen_naar_leeftijd_duur', 'telling') }}
)

select * from final
