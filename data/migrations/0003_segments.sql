-- Segments and recent snippet health, for the results page.
--
-- Like the tables of 0002, these are aggregates the writer keeps up to date in
-- the same transaction as the events (experiments/batch.go, segments.go), so
-- the results page reads a few hundred small rows whatever the traffic.

-- Counted visitors and their conversions per segment value: each counted
-- visitor is in exactly one value of each dimension, the one of their first
-- exposure (experiment_visitors.first_seq), so per (experiment, dimension,
-- variant) the rows add up to variant_counts.
--   dimension: country, device, browser, referrer (events.ref_domain) or
--   utm_source. value '' means unknown (no country, direct traffic, no
--   campaign).
create table variant_segments (
	experiment_id text    not null references experiments(id) on delete cascade,
	dimension     text    not null,
	value         text    not null,
	variant       text    not null,
	exposures     integer not null default 0,
	conversions   integer not null default 0,
	primary key (experiment_id, dimension, value, variant)
) without rowid;

-- Health telemetry per UTC day (variant_counts keeps the totals): a selector
-- that stopped matching after a site change shows in the last days long
-- before it moves the totals.
create table variant_health_days (
	experiment_id text    not null references experiments(id) on delete cascade,
	day           integer not null,
	variant       text    not null,
	applied       integer not null default 0,
	missed        integer not null default 0,
	primary key (experiment_id, day, variant)
) without rowid;

-- Backfill from what databases created before this migration hold.
insert into variant_segments (experiment_id, dimension, value, variant, exposures, conversions)
select experiment_id, dimension, value, variant, count(*), count(converted_at) from (
	select v.experiment_id, v.variant, v.converted_at, d.dimension,
		case d.dimension when 'country' then e.country when 'device' then e.device when 'browser' then e.browser
			when 'referrer' then e.ref_domain else e.utm_source end as value
	from experiment_visitors v
	join events e on e.seq = v.first_seq
	cross join (select 'country' as dimension union all select 'device' union all select 'browser'
		union all select 'referrer' union all select 'utm_source') d
	where v.state = 0
)
group by experiment_id, dimension, value, variant;

-- Exposures the writer counted as health: from people (not bots), for
-- running experiments. (A visitor flagged a bot later still counted.)
insert into variant_health_days (experiment_id, day, variant, applied, missed)
select experiment_id, received_at / 86400000, variant, sum(matched = 1), sum(matched = 0)
from events
where type = 'exposure' and bot = 0 and ignored <> 'experiment_not_running' and matched is not null
group by experiment_id, received_at / 86400000, variant;
