-- Invitations to join copylab: Users → Invite someone, or copylab user
-- invite. The link's token is never stored, only its SHA-256 hash, as for
-- sessions and API tokens: a leaked database hands out no live link. An
-- email has at most one pending invite (a new one replaces it). A row is
-- deleted when its link is used, revoked or replaced, and once it has
-- expired (on the next invite, or the next read of the Users page).
create table invites (
	id         integer primary key autoincrement, -- never given again: a stale Revoke button cannot hit a newer invite
	token_hash text    not null unique,
	email      text    not null unique collate nocase,
	name       text    not null default '',       -- offered on the link's page; the invitee may change it
	invited_by text    not null default '',       -- the inviter's email; '' from the command line
	created_at integer not null,                  -- Unix ms
	expires_at integer not null                   -- Unix ms
);
create index invites_expires on invites(expires_at);
