with source as (
    select * from {{ source('levering', 'sw_plaatsingen') }}
),

renamed as (
    select
        -- ids
        dienstverband_id,
        -- codes
        categorie,
        -- dates
        {{ nl_datum('begindatum') }} as begindatum,
        {{ nl_datum('einddatum') }} as einddatum,
        -- lineage
        bronregel
    from source
)

select * from renamed
