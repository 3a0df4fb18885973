-- Notifications: a site's webhook (Slack, Microsoft Teams, Discord or any
-- URL that takes a JSON POST; '' for none), and which verdicts (and health
-- warnings) of each experiment were announced there, so that each is
-- announced once.
alter table sites add column webhook_url text not null default '';

create table experiment_notifications (
	experiment_id text    not null references experiments(id) on delete cascade,
	status        text    not null, -- a verdict status of spec/statistics.md, or element_missing
	sent_at       integer not null,
	primary key (experiment_id, status)
) without rowid;
