with source as (
    select * from {{ source('levering', 'inkomsten') }}
),

renamed as (
    select
        -- ids
        uitkering_id,
        client_id,
        -- codes
        soort,
        -- dates
        {{ maand_begin('maand') }} as maand_begin,
        -- amounts
        {{ nl_bedrag('bedrag') }} as bedrag,
        -- lineage
        bronregel
    from source
)

select * from renamed
