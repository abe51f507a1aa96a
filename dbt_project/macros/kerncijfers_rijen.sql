{#- Turning counts into rows of the kerncijfers table, the same way for every indicator.

    `telling` is a relation (usually a CTE) with gemeente, periode_begin, periode_eind,
    categorie, leeftijdsklasse, duurklasse and waarde, holding only the non-empty cells.
    kerncijfers_rijen() puts those counts on the indicator's grid (int_kerncijfers_raster)
    and drops municipalities that are not members. What the catalogue (seed indicatoren)
    says of the indicator decides the rest:
    - `volledig`: every cell of the grid is present, zeros included; otherwise (a target
      configured for some years only) a cell is present only where there is a figure;
    - `gebied` gemeenten: a row per member municipality and TOTAAL, the sum of the members;
      `gebied` regio: a figure for the region only, given as TOTAAL.
    A count in a cell that is not on the grid surfaces as a row without eenheid, which the
    tests on the mart reject. Values stay exact decimals here (euros with cents, FTE); the
    published table turns them into doubles once, after every sum. -#}

{% macro kerncijfers_rijen(indicator, telling) -%}
    with kubus_indicator as (
        select * from {{ ref('indicatoren') }}
        where indicator = '{{ indicator }}'
    ),

    kubus_raster as (
        select * from {{ ref('int_kerncijfers_raster') }}
        where indicator = '{{ indicator }}'
    ),

    kubus_telling as (
        select telling.*
        from {{ telling }} as telling cross join kubus_indicator
        where telling.gemeente in (select gemeente_code from {{ source('organisatie', 'gemeenten') }})
           or (kubus_indicator.gebied = 'regio' and telling.gemeente = 'TOTAAL')
    ),

    kubus as (
        select
            '{{ indicator }}' as indicator,
            coalesce(kubus_raster.gemeente, kubus_telling.gemeente) as gemeente,
            coalesce(kubus_raster.periode_begin, kubus_telling.periode_begin) as periode_begin,
            coalesce(kubus_raster.periode_eind, kubus_telling.periode_eind) as periode_eind,
            coalesce(kubus_raster.categorie, kubus_telling.categorie) as categorie,
            coalesce(kubus_raster.leeftijdsklasse, kubus_telling.leeftijdsklasse) as leeftijdsklasse,
            coalesce(kubus_raster.duurklasse, kubus_telling.duurklasse) as duurklasse,
            cast(coalesce(kubus_telling.waarde, 0) as decimal(38, 10)) as waarde,
            kubus_raster.eenheid
        from kubus_raster
        full outer join kubus_telling
            on kubus_telling.gemeente = kubus_raster.gemeente
            and kubus_telling.periode_eind = kubus_raster.periode_eind
            and kubus_telling.periode_begin is not distinct from kubus_raster.periode_begin
            and kubus_telling.categorie is not distinct from kubus_raster.categorie
            and kubus_telling.leeftijdsklasse is not distinct from kubus_raster.leeftijdsklasse
            and kubus_telling.duurklasse is not distinct from kubus_raster.duurklasse
        cross join kubus_indicator
        where kubus_indicator.volledig or kubus_telling.gemeente is not null
    )

    select * from kubus
    union all
    select
        kubus.indicator,
        'TOTAAL' as gemeente,
        kubus.periode_begin,
        kubus.periode_eind,
        kubus.categorie,
        kubus.leeftijdsklasse,
        kubus.duurklasse,
        sum(kubus.waarde) as waarde,
        kubus.eenheid
    from kubus cross join kubus_indicator
    where kubus_indicator.gebied = 'gemeenten'
    group by kubus.indicator, kubus.periode_begin, kubus.periode_eind, kubus.categorie,
        kubus.leeftijdsklasse, kubus.duurklasse, kubus.eenheid
{%- endmacro %}
