{#- The records of a relation on today's municipal boundaries: a predecessor's code (Leerdam
    GM0545 before 2019) becomes the code of the municipality its area belongs to today
    (Vijfheerenlanden GM1961); a code the table of reorganisations does not know stays as it
    is (and counts for no member). Every domain reads its records through this macro; a
    `where` may follow it. -#}
{% macro op_huidige_grenzen(relatie) -%}
    select * from (
        select
            records.* replace (
                coalesce(gemeentecodes.huidige_code, records.gemeente_code) as gemeente_code
            )
        from {{ relatie }} as records
        left join {{ ref('int_gemeentecodes') }} as gemeentecodes
            on gemeentecodes.gemeente_code = records.gemeente_code
    ) as op_huidige_grenzen
{%- endmacro %}
