with source as (
    select * from {{ source('levering', 'uitkering_personen') }}
),

renamed as (
    select
        -- ids
        uitkering_id,
        client_id,
        -- codes
        rol,
        -- dates
        {{ nl_datum('begindatum') }} as begindatum,
        {{ nl_datum('einddatum') }} as einddatum,
        -- lineage
        bronregel
    from source
)

select * from renamed
