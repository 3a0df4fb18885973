-- A message a site's webhook refused by itself (another 4xx than "no
-- webhook here" or "not allowed": 400 for a message too long, 413, 422):
-- sending the same message again cannot succeed, and the webhook takes
-- the others, so copylab gives that one up. Its row keeps it from being
-- sent again, after a restart too, and the site page lists it.
create table undelivered_notifications (
	experiment_id text    not null references experiments(id) on delete cascade,
	status        text    not null, -- as in experiment_notifications
	http_status   integer not null, -- what the webhook answered
	refused_at    integer not null,
	primary key (experiment_id, status)
) without rowid;
