with source as (
    select * from {{ source('levering', 'personen') }}
),

renamed as (
    select
        -- ids
        client_id,
        -- codes
        verblijfstitel,
        -- dates
        {{ nl_datum('geboortedatum') }} as geboortedatum,
        -- lineage
        bronregel
    from source
)

select * from renamed
