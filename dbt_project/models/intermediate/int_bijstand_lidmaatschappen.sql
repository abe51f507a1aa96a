{#- Who is on which bijstand benefit when: one row per uitkering_personen row of a bijstand
    benefit, with the person's data. A membership without einddatum lasts until the benefit
    ends (ingest has checked that memberships lie within their benefit). -#}

with uitkeringen as (
    select * from {{ ref('int_bijstand_uitkeringen') }}
),

uitkering_personen as (
    select * from {{ ref('stg_uitkering_personen') }}
),

personen as (
    select * from {{ ref('stg_personen') }}
),

lidmaatschappen as (
    select
        uitkering_personen.client_id,
        uitkering_personen.uitkering_id,
        uitkering_personen.rol,
        uitkeringen.gemeente_code,
        uitkeringen.regeling,
        uitkering_personen.begindatum as lid_begin,
        coalesce(uitkering_personen.einddatum, uitkeringen.einddatum) as lid_eind,
        personen.geboortedatum,
        personen.verblijfstitel = 'ASIEL' as is_statushouder
    from uitkering_personen
    join uitkeringen on uitkeringen.uitkering_id = uitkering_personen.uitkering_id
    join personen on personen.client_id = uitkering_personen.client_id
)

select * from lidmaatschappen
