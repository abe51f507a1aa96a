{#- Uitstroom: ended bijstand benefits whose reason is not ADMINISTRATIEF and whose aanvrager
    is not on bijstand (as aanvrager or partner, in any municipality) on any day of the
    `aansluitdagen` (30) days after the einddatum, with the outflow category of the reason.
    When those 30 days run past the export date, the benefit counts on what is known and the
    figure is preliminary (is_voorlopig). -#}

with uitkeringen as (
    select * from {{ ref('int_bijstand_uitkeringen') }}
    where einddatum is not null
),

lidmaatschappen as (
    select * from {{ ref('int_bijstand_lidmaatschappen') }}
),

uitstroomredenen as (
    select * from {{ ref('uitstroomredenen') }}
),

levering as (
    select * from {{ source('levering', 'levering') }}
),

aanvragers as (
    select uitkering_id, client_id from lidmaatschappen where rol = 'AANVRAGER'
),

beeindigd as (
    select
        uitkeringen.*,
        aanvragers.client_id as aanvrager_id,
        uitstroomredenen.uitstroomcategorie
    from uitkeringen
    join aanvragers on aanvragers.uitkering_id = uitkeringen.uitkering_id
    join uitstroomredenen on uitstroomredenen.reden_beeindiging = uitkeringen.reden_beeindiging
    where uitstroomredenen.uitstroomcategorie is not null
),

uitstroom as (
    select
        beeindigd.uitkering_id,
        beeindigd.gemeente_code,
        beeindigd.regeling,
        beeindigd.einddatum,
        beeindigd.reden_beeindiging,
        beeindigd.uitstroomcategorie,
        beeindigd.aanvrager_id,
        beeindigd.einddatum + {{ var('aansluitdagen') }} > levering.exportdatum as is_voorlopig
    from beeindigd
    cross join levering
    where not exists (
        select 1
        from lidmaatschappen as later
        where later.client_id = beeindigd.aanvrager_id
          and later.lid_begin <= beeindigd.einddatum + {{ var('aansluitdagen') }}
          and coalesce(later.lid_eind, date '9999-12-31') >= beeindigd.einddatum + 1
    )
)

select * from uitstroom
