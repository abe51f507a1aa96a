{#- Periods of one entity do not overlap and lie more than `dagen` days apart. -#}
{% test perioden_gescheiden(model, partitie, begin, eind, dagen) %}

with geordend as (
    select
        {{ partitie }} as sleutel,
        {{ begin }} as periode_begin,
        lag({{ eind }}) over (partition by {{ partitie }} order by {{ begin }}) as vorig_einde,
        lag({{ begin }}) over (partition by {{ partitie }} order by {{ begin }}) as vorig_begin
    from {{ model }}
)

select *
from geordend
where vorig_begin is not null
  and (vorig_einde is null or date_diff('day', vorig_einde, periode_begin) <= {{ dagen }})

{% endtest %}
