-- Signing out one other browser under Settings voids that browser's device
-- cookie too, not only its session: each session keeps the id of the
-- device cookie its sign-in gave, and signing it out from another browser
-- lists that id here until the cookie would have expired. Sessions from
-- before this migration have no device id: signing one out ends the
-- session only ("Sign out all other browsers" voids every other cookie).
alter table sessions add column device_id text not null default '';
create table revoked_devices (
	user_id    integer not null references users(id) on delete cascade,
	device_id  text    not null,
	expires_at integer not null, -- Unix ms: past it the cookie is expired anyway
	primary key (user_id, device_id)
) without rowid;
