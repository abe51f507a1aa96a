{#- The sets of cells that add up to a published figure, which disclosure control must treat
    together (a cell suppressed alone in such a set is recovered by subtraction): one row per
    cell per set, with its role (totaal or deel). The sets:
    - gemeenten: the member municipalities and TOTAAL (every indicator about municipalities);
    - the relations of the seed optellingen: classes and their indicator's total (over
      klassen), indicators that add up to another (the same cell), the tertials and their
      year (over tertialen). `exact`: the definitions make the set add up (otherwise it does
      on every delivery so far and is protected as if it always does);
    - the sets with the groups a reader can compute without a cell that shows them
      (afgeleide_cellen, afgeleide_verbanden), whose municipalities add up to TOTAAL too.
    `gepubliceerd` tells a published cell from such a group. -#}

with kerncijfers as (
    select {{ cel('kerncijfers') }} as cel, kerncijfers.*, true as gepubliceerd
    from {{ ref('kerncijfers') }} as kerncijfers
),

afgeleid as (
    select * exclude (reden), false as gepubliceerd from {{ ref('afgeleide_cellen') }}
),

cellen as (
    select * from kerncijfers
    union all by name
    select * from afgeleid
),

indicatoren as (
    select * from {{ ref('indicatoren') }}
),

optellingen as (
    select * from {{ ref('optellingen') }}
),

perioden as (
    select * from {{ ref('int_perioden') }}
),

gemeenten as (
    select 'gemeenten' as optelling, true as exact, totaal.cel as totaal, deel.cel as deel
    from cellen as totaal
    left join indicatoren
        on indicatoren.indicator = totaal.indicator
    join cellen as deel
        on deel.indicator = totaal.indicator
        and deel.gemeente <> 'TOTAAL'
        and deel.periode_begin is not distinct from totaal.periode_begin
        and deel.periode_eind = totaal.periode_eind
        and {{ zelfde_uitsplitsing('totaal', 'deel') }}
    where totaal.gemeente = 'TOTAAL'
      and coalesce(indicatoren.gebied, 'gemeenten') = 'gemeenten'
),

relaties as (
    select optellingen.optelling, optellingen.exact, totaal.cel as totaal, deel.cel as deel
    from optellingen
    join kerncijfers as totaal
        on totaal.indicator = optellingen.totaal
    join kerncijfers as deel
        on deel.indicator = optellingen.deel
        and deel.gemeente = totaal.gemeente
    left join perioden as totaal_periode
        on totaal_periode.periode_begin = totaal.periode_begin
        and totaal_periode.periode_eind = totaal.periode_eind
    left join perioden as deel_periode
        on deel_periode.periode_begin = deel.periode_begin
        and deel_periode.periode_eind = deel.periode_eind
    where case optellingen.over
        -- the classes of the part make up the total's cell, on the same date or period
        when 'klassen' then
            deel.periode_begin is not distinct from totaal.periode_begin
            and deel.periode_eind = totaal.periode_eind
        -- the tertials of a year make up the year, in the same breakdown cell
        when 'tertialen' then
            totaal_periode.periodesoort = 'jaar'
            and deel_periode.periodesoort = 'tertiaal'
            and deel_periode.jaar = totaal_periode.jaar
            and {{ zelfde_uitsplitsing('totaal', 'deel') }}
        -- an indicator that adds up to another in the same cell
        else
            deel.periode_begin is not distinct from totaal.periode_begin
            and deel.periode_eind = totaal.periode_eind
            and {{ zelfde_uitsplitsing('totaal', 'deel') }}
        end
),

afgeleide_verbanden as (
    select verband, optelling, exact, totaal, deel from {{ ref('afgeleide_verbanden') }}
),

paren as (
    select optelling || ':' || totaal as verband, *
    from (select * from gemeenten union all select * from relaties)
    union all
    select * from afgeleide_verbanden
),

rollen as (
    select distinct verband, optelling, exact, 'totaal' as rol, totaal as cel from paren
    union all
    select verband, optelling, exact, 'deel' as rol, deel as cel from paren
),

final as (
    select rollen.verband, rollen.optelling, rollen.exact, rollen.rol, cellen.*
    from rollen
    join cellen on cellen.cel = rollen.cel
)

select * from final
order by verband, rol desc, cel
