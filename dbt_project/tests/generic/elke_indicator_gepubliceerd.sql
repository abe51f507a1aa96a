{#- Every indicator of the catalogue has rows in the published kerncijfers table. -#}
{% test elke_indicator_gepubliceerd(model) %}

select indicator
from {{ model }}
where indicator not in (select distinct indicator from {{ ref('kerncijfers') }})

{% endtest %}
