{#- Distinct statushouders who were on a benefit (aanvrager or partner, on its einddatum) that
    counts as uitstroom with category WERK in the year. -#}

with uitstroom as (
    select * from {{ ref('int_bijstand_uitstroom') }}
    where uitstroomcategorie = 'WERK'
),

lidmaatschappen as (
    select * from {{ ref('int_bijstand_lidmaatschappen') }}
),

jaren as (
    select * from {{ ref('int_perioden') }}
    where periodesoort = 'jaar'
),

statushouders_bij_einde as (
    select uitstroom.gemeente_code, uitstroom.einddatum, lidmaatschappen.client_id
    from uitstroom
    join lidmaatschappen
        on lidmaatschappen.uitkering_id = uitstroom.uitkering_id
        and {{ loopt_op('lidmaatschappen.lid_begin', 'lidmaatschappen.lid_eind', 'uitstroom.einddatum') }}
    where lidmaatschappen.is_statushouder
),

telling as (
    select
        statushouders_bij_einde.gemeente_code as gemeente,
        jaren.periode_begin,
        jaren.periode_eind,
        null::varchar as categorie,
        null::varchar as leeftijdsklasse,
        null::varchar as duurklasse,
        count(distinct statushouders_bij_einde.client_id) as waarde
    from statushouders_bij_einde
    join jaren
        on statushouders_bij_einde.einddatum between jaren.periode_begin and jaren.periode_eind
    group by all
),

final as (
    {{ kerncijfers_rijen('bijstand.statushouders_uitstroom_werk', 'telling') }}
)

select * from final
