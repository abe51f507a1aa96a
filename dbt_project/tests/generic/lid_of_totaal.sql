{#- Every value of the column is a member municipality of the organisation (its gemeenten.csv)
    or TOTAAL. -#}
{% test lid_of_totaal(model, column_name) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} <> 'TOTAAL'
  and {{ column_name }} not in (
      select gemeente_code from {{ source('organisatie', 'gemeenten') }}
  )

{% endtest %}
