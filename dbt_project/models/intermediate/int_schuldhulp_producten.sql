{#- Debt-service products with the category they count under among running files
    (TRAJECT for the four trajectory products) and whether they are a trajectory. -#}

with producten as (
    {{ op_huidige_grenzen(ref('stg_schuldhulp_producten')) }}
),

soorten as (
    select * from {{ ref('schuldhulp_producten') }}
),

final as (
    select producten.*, soorten.categorie_lopend, soorten.is_traject
    from producten
    join soorten on soorten.product = producten.product
)

select * from final
