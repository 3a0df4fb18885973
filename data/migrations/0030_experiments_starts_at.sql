-- A draft's planned start (Experiment.StartsAt): the moment copylab
-- starts it by itself, in Unix milliseconds, null for none. The form sets
-- it to 00:00 UTC of the day chosen, as it sets stops_at; the API takes
-- any time. The job of the planned stops (Store.StartDue) starts every
-- draft whose time has come through the same transition as a person's
-- Start, with the same checks; a start refused then leaves the draft as
-- it is, its plan cleared and the refusal in its history. Any start
-- clears the plan, so only drafts hold one, and the partial index serves
-- that job's look-up every minute.
alter table experiments add column starts_at integer;
create index experiments_starts_at on experiments(starts_at) where starts_at is not null and status = 'draft';
