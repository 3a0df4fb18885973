-- What an API token may do (Store.CreateAPITokenWithAccess): 'full' calls
-- every route of the API, as its user could in the browser; 'read' calls
-- only its GETs (and HEADs), so a dashboard's or a report's token that
-- leaks cannot stop, ship or delete a test. Every token made before this
-- migration could change things, and the scripts using them rely on it,
-- so they stay full.
alter table api_tokens add column access text not null default 'full' check (access in ('full', 'read'));
