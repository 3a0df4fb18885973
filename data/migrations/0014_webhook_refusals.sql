-- A site's webhook that refused a message for good (it answered that there
-- is no webhook at its URL, or that copylab may not post there): copylab
-- posts nothing more to that URL until it is replaced or a test message
-- gets through, and the site page says what answered, when, and what to
-- do. The URL is a secret kept once, in sites.webhook_url; this row keeps
-- only its SHA-256, to tell whether the refusal is for the URL saved now.
create table webhook_refusals (
	site_id        text    primary key references sites(id) on delete cascade,
	webhook_sha256 text    not null,
	status         integer not null, -- the HTTP status it answered
	message        text    not null, -- the title of the message it refused
	refused_at     integer not null
) without rowid;
