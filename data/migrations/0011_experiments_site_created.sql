-- The experiment lists narrowed to a site (GET /api/v1/experiments?site_id=,
-- a site's tab of the experiments page) show that site's experiments
-- newest first: with these indexes SQLite reads a page in that order, with
-- or without a status, instead of sorting every experiment of the site for
-- each page (experiments_created, from 0010, is not keyed by site).
-- experiments_site_status replaces experiments_site (site_id, status),
-- which it extends: a site's running experiments, the ones its tag serves,
-- come from it in order too, and the lists' tabs count from it.
--
-- Each statement is safe to run again on a database that already has its
-- index. Building them reads the experiments table only, not the events.
create index if not exists experiments_site_created on experiments(site_id, created_at, id);
create index if not exists experiments_site_status on experiments(site_id, status, created_at, id);
drop index if exists experiments_site;
