{#- A cell of the kerncijfers table as one text, its key in the disclosure-control models and
    in Python: indicator|gemeente|periode_begin|periode_eind|categorie|leeftijdsklasse|duurklasse,
    with an empty part for null. -#}
{% macro cel(relatie) -%}
    concat_ws('|',
        {{ relatie }}.indicator,
        {{ relatie }}.gemeente,
        coalesce(cast({{ relatie }}.periode_begin as varchar), ''),
        cast({{ relatie }}.periode_eind as varchar),
        coalesce({{ relatie }}.categorie, ''),
        coalesce({{ relatie }}.leeftijdsklasse, ''),
        coalesce({{ relatie }}.duurklasse, ''))
{%- endmacro %}

{#- Two cells (or a cell and a row about it) with the same key. -#}
{% macro zelfde_cel(a, b) -%}
    {{ b }}.indicator = {{ a }}.indicator
    and {{ b }}.gemeente = {{ a }}.gemeente
    and {{ b }}.periode_begin is not distinct from {{ a }}.periode_begin
    and {{ b }}.periode_eind = {{ a }}.periode_eind
    and {{ zelfde_uitsplitsing(a, b) }}
{%- endmacro %}

{#- The same breakdown cell (categorie, leeftijdsklasse, duurklasse). -#}
{% macro zelfde_uitsplitsing(a, b) -%}
    {{ b }}.categorie is not distinct from {{ a }}.categorie
    and {{ b }}.leeftijdsklasse is not distinct from {{ a }}.leeftijdsklasse
    and {{ b }}.duurklasse is not distinct from {{ a }}.duurklasse
{%- endmacro %}
