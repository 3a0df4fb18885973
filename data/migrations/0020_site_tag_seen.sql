-- What copylab has seen of each site's tag being fetched, kept across
-- restarts: the site page's "Tag loaded 2 minutes ago on …". The tag's
-- handler counts loads in memory (app/snippet_serve.go tagSightings),
-- and copylab writes what changed here about once a minute and when it
-- stops, then reads it back when it starts. A row with origin '' is the
-- tag's last load, whether or not its request named a page; each other
-- row is a page origin (https://shop.example) the tag was loaded on
-- lately, with its own last load, a few per site. The time this
-- migration was applied (schema_migrations) is when copylab began
-- keeping loads: a site added before then may have loaded its tag
-- unseen.
create table site_tag_seen (
	site_id   text    not null references sites(id) on delete cascade,
	origin    text    not null, -- '' for the last load on any page
	loaded_at integer not null, -- Unix ms
	primary key (site_id, origin)
) without rowid;
