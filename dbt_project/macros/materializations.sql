{#-
  Tables and views built straight under their own name when they do not exist yet.

  dbt's own materializations build a model under a temporary name, rename the existing relation
  out of the way, rename the new one into place and drop the old one: statements and events
  per model, whatever its size. A run of the pipeline builds its models
  in a new warehouse, where no relation exists yet; then there is nothing to swap, and a model is
  created under its own name in one statement (with the same hooks, grants and docs). When the
  relation does exist (a developer's `dbt build` on target/ontwikkel.duckdb), dbt-duckdb's own
  materialization runs, unchanged.
-#}

{% materialization table, adapter="duckdb" %}
  {%- if load_cached_relation(this) is not none -%}
    {{ return(dbt.materialization_table_duckdb()) }}
  {%- endif -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {% call statement('main', language=model['language']) -%}
    {{- create_table_as(False, target_relation, compiled_code, model['language'],
                        partitioned_by=duckdb__get_partitioned_by(target_relation, false),
                        sorted_by=duckdb__get_sorted_by(target_relation, false)) }}
  {%- endcall %}
  {{ kerncijfers_finish_new_relation(target_relation) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{% materialization view, adapter="duckdb" %}
  {%- if load_cached_relation(this) is not none -%}
    {{ return(dbt.materialization_view_default()) }}
  {%- endif -%}
  {%- set target_relation = this.incorporate(type='view') -%}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {% call statement('main') -%}
    {{ get_create_view_as_sql(target_relation, sql) }}
  {%- endcall %}
  {{ kerncijfers_finish_new_relation(target_relation) }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{#- What dbt's materializations do after the build: indexes, grants, docs, hooks, commit. -#}
{% macro kerncijfers_finish_new_relation(relation) %}
  {% if relation.is_table %}{% do create_indexes(relation) %}{% endif %}
  {% do apply_grants(relation, config.get('grants'), should_revoke=False) %}
  {% do persist_docs(relation, model) %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
{% endmacro %}
