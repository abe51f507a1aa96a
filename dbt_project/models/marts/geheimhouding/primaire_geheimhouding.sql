{#- Primary disclosure control of the open data: every cell of kerncijfers, the rule its
    indicator follows (catalogue: geheimhouding) and whether that rule keeps it out of the open
    data, with the reason. Secondary suppression (Python, pipelines/disclosure.py) adds the
    cells that would let a reader recover these by subtraction. -#}

with kerncijfers as (
    select * from {{ ref('kerncijfers') }}
),

indicatoren as (
    select * from {{ ref('indicatoren') }}
),

begunstigden as (
    select * from {{ ref('int_minima_uitgaven_begunstigden') }}
),

regels as (
    select
        kerncijfers.indicator,
        kerncijfers.gemeente,
        kerncijfers.periode_begin,
        kerncijfers.periode_eind,
        kerncijfers.categorie,
        kerncijfers.leeftijdsklasse,
        kerncijfers.duurklasse,
        kerncijfers.waarde,
        kerncijfers.eenheid,
        indicatoren.geheimhouding as regel,
        -- the count a cell of a linked indicator follows (sw.fte: its employees)
        case
            when indicatoren.geheimhouding = 'aantal' then kerncijfers.waarde
            when indicatoren.geheimhouding = 'gekoppeld' then gekoppeld.waarde
        end as aantal,
        case
            when indicatoren.geheimhouding = 'bedrag' then coalesce(begunstigden.begunstigden, 0)
        end as begunstigden,
        case
            when indicatoren.geheimhouding = 'bedrag' then begunstigden.grootste_aandeel
        end as grootste_aandeel
    from kerncijfers
    join indicatoren
        on indicatoren.indicator = kerncijfers.indicator
    left join kerncijfers as gekoppeld
        on gekoppeld.indicator = indicatoren.gekoppeld_aan
        and gekoppeld.gemeente = kerncijfers.gemeente
        and gekoppeld.periode_begin is not distinct from kerncijfers.periode_begin
        and gekoppeld.periode_eind = kerncijfers.periode_eind
        and {{ zelfde_uitsplitsing('kerncijfers', 'gekoppeld') }}
    left join begunstigden
        on {{ zelfde_cel('kerncijfers', 'begunstigden') }}
),

final as (
    select
        {{ cel('regels') }} as cel,
        regels.*,
        case
            when aantal > 0 and aantal < {{ var('geheimhouding_minimum_aantal') }}
                then 'klein_aantal'
            when begunstigden > 0 and begunstigden < {{ var('geheimhouding_minimum_begunstigden') }}
                then 'weinig_begunstigden'
            when grootste_aandeel > {{ var('geheimhouding_dominantie') }}
                then 'dominante_begunstigde'
        end as reden
    from regels
)

select *, reden is not null as geheim
from final
