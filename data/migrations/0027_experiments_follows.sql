-- Which test a follow-up follows (Store.FollowUpExperiment): the shipped
-- test whose shipped copy is its original. Drafting copy for the
-- follow-up leaves out every text that test had, the original it
-- replaced and the variants that lost, as it leaves out the follow-up's
-- own copy; the experiment page links to it, and the API gives it as
-- follows. null for any other experiment, and for one made before this
-- migration (its history still says what it follows). Deleting the
-- followed test sets it to null: the follow-up stays as it is, with
-- nothing more to leave out. The index serves that delete, which looks
-- for the experiments that follow the one deleted.
alter table experiments add column follows_id text references experiments(id) on delete set null;
create index experiments_follows on experiments(follows_id);
