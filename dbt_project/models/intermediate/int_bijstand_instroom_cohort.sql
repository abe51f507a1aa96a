{#- The instroom benefits with what the cohort figures follow them by: the age class of the
    aanvrager on the begindatum, and the end of the aanvrager's continuous bijstand period that
    begins on it (null while it runs). An instroom benefit always begins a new period: the
    same 30 days decide both. -#}

with instroom as (
    select * from {{ ref('int_bijstand_instroom') }}
),

personen as (
    select * from {{ ref('stg_personen') }}
),

perioden as (
    select * from {{ ref('int_bijstand_perioden') }}
),

leeftijdsklassen as (
    select * from {{ ref('leeftijdsklassen') }}
),

met_leeftijd as (
    select
        instroom.*,
        {{ leeftijd_op('personen.geboortedatum', 'instroom.begindatum') }} as leeftijd
    from instroom
    join personen on personen.client_id = instroom.aanvrager_id
),

met_klasse as (
    select met_leeftijd.*, leeftijdsklassen.leeftijdsklasse
    from met_leeftijd
    join leeftijdsklassen
        on {{ in_klasse('met_leeftijd.leeftijd', 'leeftijdsklassen.ondergrens', 'leeftijdsklassen.bovengrens') }}
),

final as (
    select
        met_klasse.uitkering_id,
        met_klasse.gemeente_code,
        met_klasse.begindatum,
        met_klasse.aanvrager_id,
        met_klasse.leeftijdsklasse,
        perioden.periode_eind
    from met_klasse
    join perioden
        on perioden.client_id = met_klasse.aanvrager_id
        and perioden.periode_begin = met_klasse.begindatum
)

select * from final
