{#- Instroom: bijstand benefits whose aanvrager was not on bijstand (as aanvrager or partner,
    in any municipality) on any day of the `aansluitdagen` (30) days before the begindatum. -#}

with uitkeringen as (
    select * from {{ ref('int_bijstand_uitkeringen') }}
),

lidmaatschappen as (
    select * from {{ ref('int_bijstand_lidmaatschappen') }}
),

aanvragers as (
    select uitkering_id, client_id from lidmaatschappen where rol = 'AANVRAGER'
),

met_aanvrager as (
    select uitkeringen.*, aanvragers.client_id as aanvrager_id
    from uitkeringen
    join aanvragers on aanvragers.uitkering_id = uitkeringen.uitkering_id
),

instroom as (
    select uitkering_id, gemeente_code, regeling, begindatum, aanvrager_id
    from met_aanvrager
    where not exists (
        select 1
        from lidmaatschappen as eerder
        where eerder.client_id = met_aanvrager.aanvrager_id
          and eerder.lid_begin <= met_aanvrager.begindatum - 1
          and coalesce(eerder.lid_eind, date '9999-12-31')
              >= met_aanvrager.begindatum - {{ var('aansluitdagen') }}
    )
)

select * from instroom
