with dienstverbanden as (
    select * from {{ ref('int_sw_dienstverbanden_op_peildatum') }}
    where regeling in ('NIEUW_BESCHUT', 'WACHTLIJSTBAAN')
),

telling as (
    select
        gemeente_code as gemeente,
        null::date as periode_begin,
        peildatum as periode_eind,
        categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(*) as waarde
    from dienstverbanden
    group by all
),

final as (
    {{ kerncijfers_rijen('nieuw_beschut.medewerkers', 'telling') }}
)

select * from final
