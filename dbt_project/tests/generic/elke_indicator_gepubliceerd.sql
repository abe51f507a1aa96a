{#- Every indicator of the catalogue has rows in the published kerncijfers table (an indicator
    that is not `volledig`, a target configured for some years, may have none in a run). -#}
{% test elke_indicator_gepubliceerd(model) %}

select indicator
from {{ model }}
where volledig
  and indicator not in (select distinct indicator from {{ ref('kerncijfers') }})

{% endtest %}
