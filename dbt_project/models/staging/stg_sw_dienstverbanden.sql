with source as (
    select * from {{ source('levering', 'sw_dienstverbanden') }}
),

renamed as (
    select
        -- ids
        dienstverband_id,
        medewerker_id,
        -- codes
        gemeente_code,
        regeling,
        -- dates
        {{ nl_datum('begindatum') }} as begindatum,
        {{ nl_datum('einddatum') }} as einddatum,
        -- quantities
        {{ nl_uren('uren_per_week') }} as uren_per_week,
        -- lineage
        bronregel
    from source
)

select * from renamed
