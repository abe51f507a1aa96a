{#- No two rows share the same values of the given columns (nulls compare equal). -#}
{% test unieke_combinatie(model, kolommen) %}

select {{ kolommen | join(', ') }}, count(*) as aantal
from {{ model }}
group by all
having count(*) > 1

{% endtest %}
