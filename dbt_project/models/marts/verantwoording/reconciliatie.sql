{#- Published vs computed for every reference figure: the computed value (the sum of the cells
    the figure names, rounded to `afronding` euros where given), the difference and whether
    they agree. -#}

with referentie as (
    select * from {{ source('referentie', 'referentiecijfers') }}
),

kerncijfers as (
    select * from {{ ref('kerncijfers') }}
),

berekend as (
    select
        referentie.volgnummer,
        sum(kerncijfers.waarde) as berekend,
        count(kerncijfers.waarde) as aantal_cellen
    from referentie
    left join kerncijfers
        on kerncijfers.indicator = referentie.indicator
        and kerncijfers.gemeente = referentie.gemeente
        and kerncijfers.periode_begin is not distinct from referentie.periode_begin
        and kerncijfers.periode_eind = referentie.periode_eind
        and kerncijfers.categorie is not distinct from referentie.categorie
        and kerncijfers.leeftijdsklasse is not distinct from referentie.leeftijdsklasse
        and (
            (referentie.duurklassen is null and kerncijfers.duurklasse is null)
            or list_contains(referentie.duurklassen, kerncijfers.duurklasse)
        )
    group by referentie.volgnummer
),

vergeleken as (
    select
        referentie.volgnummer,
        referentie.indicator,
        referentie.gemeente,
        referentie.periode_begin,
        referentie.periode_eind,
        referentie.categorie,
        referentie.leeftijdsklasse,
        array_to_string(referentie.duurklassen, '+') as duurklasse,
        referentie.status,
        referentie.waarde as gepubliceerd,
        case
            when berekend.aantal_cellen = 0 then null
            when referentie.afronding is not null
                then round(berekend.berekend / referentie.afronding) * referentie.afronding
            else berekend.berekend
        end as berekend,
        referentie.afronding,
        referentie.noot,
        referentie.toelichting,
        referentie.bron,
        referentie.publicatie,
        referentie.vindplaats
    from referentie
    join berekend on berekend.volgnummer = referentie.volgnummer
),

final as (
    select
        *,
        berekend - gepubliceerd as verschil,
        coalesce(berekend = gepubliceerd, false) as komt_overeen
    from vergeleken
)

select * from final
