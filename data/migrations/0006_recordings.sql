-- Session recordings: which recorders a site runs, and the recorded sessions
-- of each variant's visitors. copylab stores links to recordings (a
-- recorder's session id or replay URL), never the recordings themselves.

-- The site's recorder setup as JSON (experiments/recorders.Settings); ''
-- is none. The snippet of a site with none carries no recorder code.
alter table sites add column recorders text not null default '';

-- One row per (experiment, visitor, recorder, recorded session), from the
-- snippet's "recording" events (POST /e). session_key is what makes a
-- session one: the recorder's session id, or, for the recorders that
-- report only a replay URL (FullStory, LogRocket), that URL without its
-- query or fragment. seq is the rowid, so "newest first" is "highest seq
-- first". Recordings are never counted in results; a bot's are stored
-- with bot = 1 and never listed.
create table recordings (
	seq           integer primary key,
	experiment_id text    not null references experiments(id) on delete cascade,
	variant_key   text    not null,
	visitor       text    not null,
	recorder      text    not null check (recorder in ('posthog', 'clarity', 'fullstory', 'logrocket', 'hotjar', 'custom')),
	session       text    not null default '',
	replay        text    not null default '',
	session_key   text    not null,
	url           text    not null default '', -- the page the session was on
	bot           integer not null default 0,
	created_at    integer not null             -- server time, ms
);
-- Stored once: a resent or repeated event is a no-op. Its prefix also
-- serves the cascade when an experiment is deleted.
create unique index recordings_once on recordings(experiment_id, visitor, recorder, session_key);
-- The recent sessions of one variant, newest first; and of every variant.
create index recordings_variant on recordings(experiment_id, variant_key, seq);
create index recordings_recent on recordings(experiment_id, seq);
