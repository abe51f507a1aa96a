{#- In every set of cells of `model` (column verband), the parts (rol deel) add up to the
    total (rol totaal), and every set has one total and at least one part. -#}
{% test verbanden_tellen_op(model) %}

select
    verband,
    count(*) filter (where rol = 'totaal') as totalen,
    count(*) filter (where rol = 'deel') as delen,
    sum(waarde) filter (where rol = 'totaal') as totaal,
    sum(waarde) filter (where rol = 'deel') as som_delen
from {{ model }}
group by verband
having totalen <> 1
    or delen = 0
    or abs(coalesce(totaal, 0) - coalesce(som_delen, 0)) > 0.000001

{% endtest %}
