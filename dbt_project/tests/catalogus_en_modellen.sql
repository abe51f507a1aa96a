{#- The catalogue (seed indicatoren) and the indicator models agree: every indicator of the
    catalogue has a model whose meta.indicator is its id and whose name is the id with an
    underscore for the dot, and every model with a meta.indicator is in the catalogue (else
    kerncijfers, the union of the catalogue's models, would leave it out). One row per
    disagreement. -#}
{%- set modellen = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.config.meta.get('indicator') -%}
        {%- do modellen.append((node.config.meta['indicator'], node.name)) -%}
    {%- endfor -%}
{%- endif %}

with catalogus as (
    select indicator from {{ ref('indicatoren') }}
),

modellen as (
    select indicator, model
    from (values ('', '')
        {%- for indicator, model in modellen %}, ('{{ indicator }}', '{{ model }}'){% endfor %}
    ) as modellen (indicator, model)
    where indicator <> ''
),

verschillen as (
    select indicator, 'staat in de catalogus maar geen model berekent haar' as probleem
    from catalogus
    where indicator not in (select indicator from modellen)
    union all
    select indicator, 'model ' || model || ' berekent haar maar zij staat niet in de catalogus'
    from modellen
    where indicator not in (select indicator from catalogus)
    union all
    select indicator, 'het model heet ' || model || ', niet ' || replace(indicator, '.', '_')
    from modellen
    where model <> replace(indicator, '.', '_')
)

select * from verschillen
