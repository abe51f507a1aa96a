{#- Turning counts into rows of the kerncijfers table, the same way for every indicator.

    `telling` is a relation (usually a CTE) with gemeente, periode_begin, periode_eind,
    categorie, leeftijdsklasse, duurklasse and waarde, holding only the non-empty cells.
    kerncijfers_rijen() puts those counts on the indicator's complete grid (every cell for
    every member municipality and every reference date or period, zeros included), drops
    municipalities that are not members, and adds the TOTAAL rows: the sum of the members.
    A count in a cell that is not on the grid surfaces as a row without eenheid, which the
    tests on the mart reject. Values stay exact decimals here (euros with cents, FTE); the
    published table turns them into doubles once, after every sum. -#}

{% macro kerncijfers_rijen(indicator, telling) -%}
    with kubus_raster as (
        select * from {{ ref('int_kerncijfers_raster') }}
        where indicator = '{{ indicator }}'
    ),

    kubus_telling as (
        select * from {{ telling }}
        where gemeente in (select gemeente_code from {{ ref('gemeenten') }})
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
    )

    select * from kubus
    union all
    select
        indicator,
        'TOTAAL' as gemeente,
        periode_begin,
        periode_eind,
        categorie,
        leeftijdsklasse,
        duurklasse,
        sum(waarde) as waarde,
        eenheid
    from kubus
    group by indicator, periode_begin, periode_eind, categorie, leeftijdsklasse, duurklasse, eenheid
{%- endmacro %}
