with source as (
    select * from {{ source('levering', 'schuldhulp_producten') }}
),

renamed as (
    select
        -- ids
        product_id,
        client_id,
        -- codes
        gemeente_code,
        product,
        -- dates
        {{ nl_datum('begindatum') }} as begindatum,
        {{ nl_datum('einddatum') }} as einddatum,
        -- lineage
        bronregel
    from source
)

select * from renamed
