{#- The uitstroom benefits with how long their aanvrager had been on bijstand and when the
    aanvrager came back: the duration (whole months) of the aanvrager's continuous bijstand
    period on the einddatum and its class, and the first begindatum of a bijstand membership
    of the aanvrager after the einddatum (as aanvrager or partner, in any municipality; null
    when none is known). -#}

with uitstroom as (
    select * from {{ ref('int_bijstand_uitstroom') }}
),

perioden as (
    select * from {{ ref('int_bijstand_perioden') }}
),

lidmaatschappen as (
    select * from {{ ref('int_bijstand_lidmaatschappen') }}
),

duurklassen as (
    select * from {{ ref('duurklassen') }}
),

met_duur as (
    select
        uitstroom.*,
        {{ hele_maanden('perioden.periode_begin', 'uitstroom.einddatum') }} as duur_maanden
    from uitstroom
    join perioden
        on perioden.client_id = uitstroom.aanvrager_id
        and {{ loopt_op('perioden.periode_begin', 'perioden.periode_eind', 'uitstroom.einddatum') }}
),

met_klasse as (
    select met_duur.*, duurklassen.duurklasse
    from met_duur
    join duurklassen
        on {{ in_klasse('met_duur.duur_maanden', 'duurklassen.ondergrens_maanden', 'duurklassen.bovengrens_maanden') }}
),

terugkeer as (
    select met_klasse.uitkering_id, min(later.lid_begin) as volgende_begin
    from met_klasse
    join lidmaatschappen as later
        on later.client_id = met_klasse.aanvrager_id
        and later.lid_begin > met_klasse.einddatum
    group by met_klasse.uitkering_id
),

final as (
    select met_klasse.*, terugkeer.volgende_begin
    from met_klasse
    left join terugkeer on terugkeer.uitkering_id = met_klasse.uitkering_id
)

select * from final
