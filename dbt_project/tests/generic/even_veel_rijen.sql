{#- `model` has as many rows as `compare_model`: one row for each of its rows. -#}
{% test even_veel_rijen(model, compare_model) %}

select *
from (select count(*) as rijen from {{ model }}) as a
cross join (select count(*) as vergeleken from {{ compare_model }}) as b
where a.rijen <> b.vergeleken

{% endtest %}
