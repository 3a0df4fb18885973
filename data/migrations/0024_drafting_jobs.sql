-- The drafting page's jobs, kept across restarts. copylab holds them in
-- memory (app/generate_jobs.go genRegistry) and writes each one here as
-- it changes: when it starts (its brief, so that a job a restart cuts off
-- can offer the brief again), when its drafts are written, and when a
-- draft is rewritten; then, once its drafts are added or a newer brief
-- takes its place, what became of it. A job is kept for an hour after it
-- was last looked at (touched_at, written every few minutes while it is
-- looked at), and deleted then, or when it is let go sooner. data is the
-- app's JSON (brief, drafts with angle and rationale, drafts left out
-- with their reasons, notes). A row lives an hour at most, so a newer
-- copylab reads what it can of an older one's and lets the rest go.
-- user_created tells a user from a later one given the same id.
create table drafting_jobs (
	id            text    primary key,
	experiment_id text    not null references experiments(id) on delete cascade,
	user_id       integer not null references users(id) on delete cascade,
	user_created  integer not null, -- users.created_at, Unix ms
	seq           integer not null, -- the order the jobs were started in
	state         text    not null, -- the app's word: running, done, failed, added, replaced
	touched_at    integer not null, -- Unix ms
	data          text    not null
);
create index drafting_jobs_experiment on drafting_jobs (experiment_id);
create index drafting_jobs_user on drafting_jobs (user_id);
create index drafting_jobs_touched on drafting_jobs (touched_at);
