-- An experiment's planned end (Experiment.StopsAt): the moment copylab
-- stops it by itself, in Unix milliseconds, null for none. The form sets
-- it to 00:00 UTC of the day chosen (UTC, as the results' days are); the
-- API takes any time. A job of the server (Store.StopDue) stops every
-- running or paused experiment whose time has come through the same
-- transition as a person's Stop, and its history says it stopped on its
-- planned date. The partial index serves that job's look-up every
-- minute: only tests with a plan that have not stopped are in it.
alter table experiments add column stops_at integer;
create index experiments_stops_at on experiments(stops_at) where stops_at is not null and status in ('running', 'paused');
