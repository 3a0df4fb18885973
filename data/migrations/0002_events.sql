-- Events from POST /e and the counts the results page reads.
--
-- Write path (experiments/ingest.go, batch.go): one writer goroutine commits
-- batches of events in one immediate transaction. Each batch appends to
-- events, updates the per-visitor state of the visitors it touches, and adds
-- its deltas to the small aggregate tables. Read path (Store.Counts): only the
-- aggregate tables, so results cost the same at ten events or ten million.
--
-- Times are Unix milliseconds of the server clock; days are whole UTC days
-- since 1970-01-01.

-- Every accepted event, once. seq is the rowid, so inserts append. The
-- sender's event id is a UUID kept as 16 bytes; the unique index on
-- (site_id, id) makes a resent event a no-op, and since the snippet's ids are
-- time-ordered (UUIDv7) that index grows at its end too.
create table events (
	seq           integer primary key,
	site_id       text    not null,
	id            blob    not null,
	experiment_id text    not null references experiments(id) on delete cascade,
	type          text    not null check (type in ('exposure', 'conversion')),
	visitor       text    not null,
	variant       text    not null default '',
	goal          text    not null default '',
	url           text    not null default '',
	received_at   integer not null,
	client_ts     integer,             -- the sender's clock: metadata only
	matched       integer,             -- exposures: 0 when the page matched but the element was missing
	swap_ms       integer,             -- exposures: ms from navigation start to the swap
	bot           integer not null default 0,
	-- What segment analysis needs, parsed on the server (exposures only).
	country       text    not null default '',
	device        text    not null default '', -- mobile, tablet or desktop
	browser       text    not null default '',
	ref_domain    text    not null default '',
	utm_source    text    not null default '',
	-- Why the event was not counted when it was ingested ('' when it was).
	ignored       text    not null default ''
);
create unique index events_site_event on events(site_id, id);
-- Deleting an experiment cascades here; without this index every delete
-- would scan the whole table. Its keys grow at the end of each experiment's
-- range, so it costs little on insert.
create index events_experiment on events(experiment_id);

-- One row per (experiment, visitor) that sent an exposure: what the counting
-- rules of ../shared/spec/statistics.md need to decide each new event.
-- state: 0 counted in variant, 1 excluded for seeing several variants, 2 bot.
-- This is the one table keyed by the random visitor id; its rows are small and
-- a batch touches one row per visitor, not per event.
create table experiment_visitors (
	experiment_id text    not null references experiments(id) on delete cascade,
	visitor       text    not null,
	variant       text    not null,    -- variant of the first exposure
	state         integer not null default 0 check (state in (0, 1, 2)),
	first_at      integer not null,    -- server time of the first exposure
	first_seq     integer not null,    -- events.seq of the first exposure (its segment)
	converted_at  integer,             -- server time of the first counted conversion
	primary key (experiment_id, visitor)
) without rowid;

-- Counted visitors per variant, and the snippet's health telemetry.
create table variant_counts (
	experiment_id text    not null references experiments(id) on delete cascade,
	variant       text    not null,
	exposures     integer not null default 0,
	conversions   integer not null default 0,
	applied       integer not null default 0, -- matched exposures (page views swapped)
	missed        integer not null default 0, -- page matched, element not found
	primary key (experiment_id, variant)
) without rowid;

-- The daily chart: new counted visitors on the day of their first exposure,
-- conversions on the day they happened.
create table variant_days (
	experiment_id text    not null references experiments(id) on delete cascade,
	day           integer not null,
	variant       text    not null,
	exposures     integer not null default 0,
	conversions   integer not null default 0,
	primary key (experiment_id, day, variant)
) without rowid;

-- Visitors left out of every variant.
create table experiment_excluded (
	experiment_id     text    not null primary key references experiments(id) on delete cascade,
	multiple_variants integer not null default 0,
	bots              integer not null default 0
) without rowid;

-- A histogram of swap times per variant, for the median (see swapBucket).
create table variant_swap_ms (
	experiment_id text    not null references experiments(id) on delete cascade,
	variant       text    not null,
	bucket        integer not null,
	n             integer not null default 0,
	primary key (experiment_id, variant, bucket)
) without rowid;
