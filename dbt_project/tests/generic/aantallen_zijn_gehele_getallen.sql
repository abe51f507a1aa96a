{#- Counts are whole numbers of zero or more; only euro figures may have cents or be negative,
    and FTE may have decimals but is never negative. -#}
{% test aantallen_zijn_gehele_getallen(model) %}

select *
from {{ model }}
where (eenheid not in ('euro', 'fte') and (waarde < 0 or waarde <> round(waarde)))
   or (eenheid = 'fte' and waarde < 0)

{% endtest %}
