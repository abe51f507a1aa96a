with source as (
    select * from {{ source('levering', 'minima_verstrekkingen') }}
),

renamed as (
    select
        -- ids
        verstrekking_id,
        begunstigde_id,
        -- codes
        gemeente_code,
        regeling,
        -- dates
        {{ nl_datum('betaaldatum') }} as betaaldatum,
        -- amounts
        {{ nl_bedrag('bedrag') }} as bedrag,
        -- lineage
        bronregel
    from source
)

select * from renamed
