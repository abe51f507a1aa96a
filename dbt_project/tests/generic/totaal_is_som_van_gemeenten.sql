{#- Every TOTAAL row equals the sum of the member municipalities' rows of the same cell (for
    the indicators about municipalities; a regional figure has TOTAAL only). -#}
{% test totaal_is_som_van_gemeenten(model) %}

with regionaal as (
    select indicator from {{ ref('indicatoren') }} where gebied = 'regio'
),

leden as (
    select indicator, periode_begin, periode_eind, categorie, leeftijdsklasse, duurklasse,
        sum(waarde) as som
    from {{ model }}
    where gemeente <> 'TOTAAL'
    group by all
),

totaal as (
    select * from {{ model }}
    where gemeente = 'TOTAAL' and indicator not in (select indicator from regionaal)
)

select totaal.*, leden.som
from totaal
full outer join leden
    on leden.indicator = totaal.indicator
    and leden.periode_begin is not distinct from totaal.periode_begin
    and leden.periode_eind = totaal.periode_eind
    and {{ zelfde_uitsplitsing('totaal', 'leden') }}
where totaal.indicator is null
   or leden.indicator is null
   or abs(totaal.waarde - leden.som) > 0.000001

{% endtest %}
