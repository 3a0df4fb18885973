-- Signed-in browsers (Settings): each session gets a public id that names
-- it in the page and its Sign out form (the cookie and its hash never
-- leave the server), and the user agent that signed in, capped in length
-- by the store. Sessions from before this migration get a random id and
-- no user agent: the page calls them "Unknown browser".
alter table sessions add column public_id text not null default '';
alter table sessions add column user_agent text not null default '';
update sessions set public_id = lower(hex(randomblob(16))) where public_id = '';
create unique index sessions_public_id on sessions(public_id);

-- A per-account secret mixed into the device cookies' signature beside the
-- password hash. "Sign out all other browsers" replaces it, which voids
-- every device cookie given before without a new password. Empty until
-- then, which signs exactly as before this migration: the device cookies
-- browsers already hold keep counting.
alter table users add column device_key text not null default '';
