with source as (
    select * from {{ source('levering', 'buig_boekingen') }}
),

renamed as (
    select
        -- ids
        boeking_id,
        -- codes
        gemeente_code,
        soort,
        -- dates
        {{ nl_datum('boekdatum') }} as boekdatum,
        -- amounts
        {{ nl_bedrag('bedrag') }} as bedrag,
        -- lineage
        bronregel
    from source
)

select * from renamed
