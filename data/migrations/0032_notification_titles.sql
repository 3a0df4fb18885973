-- The headline each message about an experiment carried (its title before
-- the test's name: "Probably a winner", "The winner changed", "The
-- element was not found"), sent or refused, so the site page lists it by
-- the words the channel saw. What it was recorded as (status) does not
-- say: an answer called only as probable, another variant's win after
-- one announced, or an element never found on its page, are recorded as
-- the plain answer or warning. '' for a message recorded before this
-- migration: the site page names those by their status, as it did.
alter table experiment_notifications add column title text not null default '';
alter table undelivered_notifications add column title text not null default '';
