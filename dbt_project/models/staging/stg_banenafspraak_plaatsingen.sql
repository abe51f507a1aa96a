with source as (
    select * from {{ source('levering', 'banenafspraak_plaatsingen') }}
),

renamed as (
    select
        -- ids
        plaatsing_id,
        client_id,
        -- codes
        gemeente_code,
        -- dates
        {{ nl_datum('begindatum') }} as begindatum,
        {{ nl_datum('einddatum') }} as einddatum,
        -- lineage
        bronregel
    from source
)

select * from renamed
