-- Accounts, sites, experiments and their variants.
-- Times are Unix milliseconds (server clock). IDs of sites and experiments are
-- UUIDv7 text; variant keys are short names unique within an experiment.

create table users (
	id            integer primary key,
	email         text    not null unique collate nocase,
	name          text    not null default '',
	password_hash text    not null,
	created_at    integer not null
);

-- Server-side sessions. Only a SHA-256 hash of the cookie value is stored, so a
-- leaked database file does not hand out live sessions.
create table sessions (
	id_hash      text    primary key,
	user_id      integer not null references users(id) on delete cascade,
	csrf_token   text    not null,
	created_at   integer not null,
	expires_at   integer not null,
	last_seen_at integer not null
);
create index sessions_user on sessions(user_id);

create table api_tokens (
	id           integer primary key,
	user_id      integer not null references users(id) on delete cascade,
	name         text    not null,
	token_hash   text    not null unique,
	prefix       text    not null,
	created_at   integer not null,
	last_used_at integer
);

create table sites (
	id              text    primary key,
	key             text    not null unique,
	name            text    not null,
	domain          text    not null,
	brand_voice     text    not null default '',
	hide_timeout_ms integer not null default 1000,
	honor_gpc       integer not null default 0,
	created_at      integer not null
);

create table experiments (
	id           text    primary key,
	site_id      text    not null references sites(id) on delete cascade,
	name         text    not null,
	page         text    not null,
	selector     text    not null,
	goal_type    text    not null check (goal_type in ('click', 'pageview', 'event')),
	goal_value   text    not null,
	coverage_bp  integer not null default 10000 check (coverage_bp between 0 and 10000),
	status       text    not null default 'draft' check (status in ('draft', 'running', 'paused', 'stopped')),
	seed         text    not null,
	brief        text    not null default '{}',
	threshold    real    not null default 0.10,
	visible_only integer not null default 0,
	share_token  text    not null unique,
	created_by   integer references users(id) on delete set null,
	created_at   integer not null,
	updated_at   integer not null,
	started_at   integer,
	ended_at     integer
);
create index experiments_site on experiments(site_id, status);

create table variants (
	experiment_id  text    not null references experiments(id) on delete cascade,
	key            text    not null,
	position       integer not null,
	text           text    not null,
	weight_bp      integer not null check (weight_bp between 0 and 10000),
	source         text    not null check (source in ('control', 'human', 'model', 'offline')),
	model          text    not null default '',
	prompt_version text    not null default '',
	angle          text    not null default '',
	rationale      text    not null default '',
	edited         integer not null default 0,
	approved_by    text    not null default '',
	created_at     integer not null,
	updated_at     integer not null,
	primary key (experiment_id, key)
) without rowid;
