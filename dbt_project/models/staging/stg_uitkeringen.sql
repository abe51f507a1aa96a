with source as (
    select * from {{ source('levering', 'uitkeringen') }}
),

renamed as (
    select
        -- ids
        uitkering_id,
        -- codes
        regeling,
        gemeente_code,
        reden_beeindiging,
        -- dates
        {{ nl_datum('begindatum') }} as begindatum,
        {{ nl_datum('einddatum') }} as einddatum,
        -- lineage
        bronregel
    from source
)

select * from renamed
