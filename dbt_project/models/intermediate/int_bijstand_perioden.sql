{#- Continuous bijstand periods per person: the person's memberships (aanvrager or partner,
    any municipality) merged wherever the next one starts at most `aansluitdagen` (30) days
    after the previous one ended. periode_eind is null while the period runs. -#}

with lidmaatschappen as (
    select
        client_id,
        lid_begin,
        coalesce(lid_eind, date '9999-12-31') as lid_eind
    from {{ ref('int_bijstand_lidmaatschappen') }}
),

met_vorig_einde as (
    select
        *,
        max(lid_eind) over (
            partition by client_id order by lid_begin, lid_eind
            rows between unbounded preceding and 1 preceding
        ) as vorig_einde
    from lidmaatschappen
),

met_periodebegin as (
    select
        *,
        case
            when vorig_einde is null then 1
            when date_diff('day', vorig_einde, lid_begin) > {{ var('aansluitdagen') }} then 1
            else 0
        end as is_nieuwe_periode
    from met_vorig_einde
),

genummerd as (
    select
        *,
        sum(is_nieuwe_periode) over (
            partition by client_id order by lid_begin, lid_eind
            rows unbounded preceding
        ) as periodenummer
    from met_periodebegin
),

perioden as (
    select
        client_id,
        periodenummer,
        min(lid_begin) as periode_begin,
        nullif(max(lid_eind), date '9999-12-31') as periode_eind
    from genummerd
    group by client_id, periodenummer
)

select * from perioden
