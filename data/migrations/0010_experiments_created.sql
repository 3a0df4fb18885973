-- The experiment lists (the page and GET /api/v1/experiments) show the
-- newest first, 50 at a time: with this index SQLite reads a page in that
-- order instead of sorting every experiment for each page.
create index experiments_created on experiments(created_at, id);
