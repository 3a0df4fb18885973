-- The answers of the API's creating calls (POST of an experiment, a
-- site, a variant, a duplicate) sent with an Idempotency-Key header, so
-- that a client retrying a call that timed out gets the first answer
-- again instead of a second experiment (app/idempotency.go). A row is
-- written as the call begins (answered_at 0: in progress, which a second
-- call with the key is told) and either given the answer, when it was a
-- success, or deleted, so that a retry of a refused call is tried anew.
-- Only a SHA-256 of the body is kept: enough to tell a retry from another
-- request sent with the same key. Keys are a user's own, and go with
-- them; the hourly housekeeping deletes rows older than a day
-- (Store.DeleteIdempotencyKeysBefore).
create table idempotency_keys (
	user_id     integer not null references users(id) on delete cascade,
	key         text    not null, -- as sent: 1 to 255 printable ASCII characters
	method      text    not null,
	path        text    not null, -- the request's path, without its query
	body_sha256 text    not null, -- hex
	created_at  integer not null, -- Unix ms: when the first call with the key began
	answered_at integer not null default 0, -- Unix ms; 0 while the first call runs
	status      integer not null default 0,
	location    text    not null default '',
	answer      blob    not null default x'',
	primary key (user_id, key)
) without rowid;
create index idempotency_keys_created on idempotency_keys (created_at);
