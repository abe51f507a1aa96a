{#- Employments in the sheltered-work schemes running on each reference date, with their
    category: for WSW the placement running on the date (ONBEKEND when none runs), for Nieuw
    Beschut and wachtlijstbanen the scheme; and their FTE (contract hours / the full-time week,
    var fte_werkweek_uren, 36). -#}

with dienstverbanden as (
    {{ op_huidige_grenzen(ref('stg_sw_dienstverbanden')) }}
),

plaatsingen as (
    select * from {{ ref('stg_sw_plaatsingen') }}
),

peildata as (
    select * from {{ ref('int_peildata') }}
),

lopend as (
    select peildata.peildatum, dienstverbanden.*
    from dienstverbanden
    join peildata
        on {{ loopt_op('dienstverbanden.begindatum', 'dienstverbanden.einddatum', 'peildata.peildatum') }}
),

met_plaatsing as (
    select lopend.*, plaatsingen.categorie as plaatsing
    from lopend
    left join plaatsingen
        on plaatsingen.dienstverband_id = lopend.dienstverband_id
        and {{ loopt_op('plaatsingen.begindatum', 'plaatsingen.einddatum', 'lopend.peildatum') }}
),

final as (
    select
        peildatum,
        dienstverband_id,
        gemeente_code,
        regeling,
        case
            when regeling = 'WSW' then coalesce(plaatsing, 'ONBEKEND')
            else regeling
        end as categorie,
        uren_per_week,
        uren_per_week / {{ var('fte_werkweek_uren') }} as fte
    from met_plaatsing
)

select * from final
