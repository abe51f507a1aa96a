{#- The benefits that count as bijstand: regeling PW, IOAW or IOAZ (var bijstand_regelingen);
    BBZ does not. All municipalities: the continuity rules follow a person everywhere. -#}

with uitkeringen as (
    {{ op_huidige_grenzen(ref('stg_uitkeringen')) }}
),

bijstand as (
    select *
    from uitkeringen
    where regeling in ({% for r in var('bijstand_regelingen') %}'{{ r }}'{% if not loop.last %}, {% endif %}{% endfor %})
)

select * from bijstand
