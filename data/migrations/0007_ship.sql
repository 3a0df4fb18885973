-- Shipping a version: once a test has its answer, the marketer can stop it
-- and have the tag show one version's copy to every visitor, uncounted,
-- until the site's own copy is updated. shipped_variant is that version's
-- key ('' when nothing is shipped); only stopped experiments ship.
alter table experiments add column shipped_variant text not null default '';
alter table experiments add column shipped_at integer; -- ms, when shipped
