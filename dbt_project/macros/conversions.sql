{#- Conversions of the delivery's text values. Ingest has already checked that they parse. -#}

{#- A date written DD-MM-YYYY. -#}
{% macro nl_datum(column) -%}
    strptime({{ column }}, '%d-%m-%Y')::date
{%- endmacro %}

{#- An amount in euros with a decimal comma (-1234,56). -#}
{% macro nl_bedrag(column) -%}
    cast(replace({{ column }}, ',', '.') as decimal(24, 6))
{%- endmacro %}

{#- A number of hours, decimal comma or point (25,5). -#}
{% macro nl_uren(column) -%}
    cast(replace({{ column }}, ',', '.') as decimal(12, 6))
{%- endmacro %}

{#- A month written YYYY-MM, as its first day. -#}
{% macro maand_begin(column) -%}
    strptime({{ column }} || '-01', '%Y-%m-%d')::date
{%- endmacro %}
