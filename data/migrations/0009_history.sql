-- An experiment's history: who created, edited, started, paused, resumed,
-- stopped or shipped it, and when. Teams reading a result need to know
-- what changed while it ran (a new split or traffic share mixes two
-- periods in one result); each row is written in the same transaction as
-- the change it describes (experiments/history.go).
--   actor:  who did it, as they were known then (an email, "… (API)"), or
--           '' when copylab did it itself or the row was backfilled;
--   action: created, edited, started, paused, resumed, stopped, shipped,
--           unshipped;
--   detail: what changed, in words ("Traffic share 100% → 50%.").
create table experiment_history (
	id            integer primary key,
	experiment_id text    not null references experiments(id) on delete cascade,
	at            integer not null,
	actor         text    not null default '',
	action        text    not null,
	detail        text    not null default ''
);
create index experiment_history_experiment on experiment_history(experiment_id, id);

-- When the split (the variants' weights) last changed after the start, in
-- ms. Visitors keep the version they were given, so afterwards the counts
-- mix two splits and the sample-ratio check can test only the visitors who
-- first came after that day (experiments/counts.go SinceSplit).
alter table experiments add column split_changed_at integer;

-- Backfill what databases created before this migration can tell: when
-- each experiment was created (and by whom), first started, stopped and
-- shipped. Pauses and edits before now were not kept.
insert into experiment_history (experiment_id, at, actor, action, detail)
select id, at, actor, action, detail from (
	select e.id, e.created_at as at, coalesce(u.email, '') as actor, 'created' as action, '' as detail, 1 as o
	from experiments e left join users u on u.id = e.created_by
	union all
	select id, started_at, '', 'started', 'First started (recorded before copylab kept a history).', 2
	from experiments where started_at is not null
	union all
	select id, ended_at, '', 'stopped', 'Recorded before copylab kept a history.', 3
	from experiments where ended_at is not null
	union all
	select id, shipped_at, '', 'shipped', 'Variant ' || upper(shipped_variant) || ' shown to every visitor (recorded before copylab kept a history).', 4
	from experiments where shipped_variant <> '' and shipped_at is not null
)
order by at, o;
