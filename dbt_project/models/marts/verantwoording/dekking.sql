{#- Which period each domain's source covers (int_dekking), for the report and the audit
    trail: the report shows a figure outside it as missing, not as zero. -#}

with dekking as (
    select * from {{ ref('int_dekking') }}
)

select * from dekking
