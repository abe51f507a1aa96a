{#- Every indicator of the catalogue that has cells in this run (int_kerncijfers_raster: a
    cohort figure has none while the delivery covers too few years) has its rows in the
    published kerncijfers table (an indicator that is not `volledig`, a target configured for
    some years, may have none in a run). -#}
{% test elke_indicator_gepubliceerd(model) %}

select indicator
from {{ model }}
where volledig
  and indicator in (select distinct indicator from {{ ref('int_kerncijfers_raster') }})
  and indicator not in (select distinct indicator from {{ ref('kerncijfers') }})

{% endtest %}
