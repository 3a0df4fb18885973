-- Site domains in today's spelling (experiments/validate.go SiteDomain).
-- The first rule kept a bare host's port as typed, so a site added as
-- shop.example:443 or shop.example:80 was stored so, and its preview
-- links opened https://shop.example:80/…, where no site answers. Today a
-- bare host loses 80 and 443, and a URL keeps 80 or 443 only when its
-- scheme has the other default (https://shop.example:80); no rule before
-- this migration kept a URL's 80 or 443. So every domain ending in :80
-- or :443 here was typed bare, and goes as it would today.
-- A port written with leading zeros (shop.example:080, :0443) is the same
-- port, and goes too. The other old spellings are left: a port no server
-- listens on (shop.example:0) cannot be guessed, and the settings refuse
-- it when the domain is next changed; one with leading zeros that is not
-- a default (:08080) opens the same page. A stored domain has at most one
-- colon (IPv6 literals were always refused). sites.domain is not unique,
-- so no rewrite here can collide.
update sites set domain = substr(domain, 1, instr(domain, ':') - 1)
where instr(domain, ':') > 0
  and substr(domain, instr(domain, ':') + 1) <> ''
  and substr(domain, instr(domain, ':') + 1) not glob '*[^0-9]*'
  and length(substr(domain, instr(domain, ':') + 1)) <= 10
  and cast(substr(domain, instr(domain, ':') + 1) as integer) in (80, 443);
