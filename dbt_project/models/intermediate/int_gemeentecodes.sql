{#- Every municipal code the table of reorganisations knows, with the code of the municipality
    its area belongs to today (following mergers one after the other: Graafstroom went into
    Molenwaard in 2013, Molenwaard into Molenlanden in 2019), and whether it is a smallest
    area (no municipality merged into it). -#}

with recursive gemeentecodes as (
    select * from {{ source('organisatie', 'gemeentecodes') }}
),

keten (gemeente_code, huidige_code, stap) as (
    select gemeente_code, gemeente_code, 0 from gemeentecodes
    union all
    select keten.gemeente_code, gemeentecodes.opgegaan_in, keten.stap + 1
    from keten
    join gemeentecodes on gemeentecodes.gemeente_code = keten.huidige_code
    where gemeentecodes.opgegaan_in is not null
),

huidig as (
    select gemeente_code, arg_max(huidige_code, stap) as huidige_code
    from keten
    group by gemeente_code
),

final as (
    select
        gemeentecodes.*,
        huidig.huidige_code,
        gemeentecodes.gemeente_code not in (
            select opgegaan_in from gemeentecodes where opgegaan_in is not null
        ) as is_kleinste_gebied
    from gemeentecodes
    join huidig on huidig.gemeente_code = gemeentecodes.gemeente_code
)

select * from final
