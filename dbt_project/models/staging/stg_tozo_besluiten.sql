with source as (
    select * from {{ source('levering', 'tozo_besluiten') }}
),

renamed as (
    select
        -- ids
        besluit_id,
        client_id,
        -- codes
        gemeente_code,
        regeling,
        soort,
        uitkomst,
        -- dates
        {{ nl_datum('besluitdatum') }} as besluitdatum,
        -- lineage
        bronregel
    from source
)

select * from renamed
