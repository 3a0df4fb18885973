-- A test's answer is announced whenever it differs from the last one
-- announced, but an answer that was announced before and comes back (B
-- wins, then C, then B again) goes out only once checks a full day apart
-- have found it, and found no other answer in between: a test near a
-- line cannot flood the channel. This row is such an answer, and the
-- first check that found it; a check that finds another answer, or none,
-- deletes it.
create table answer_holds (
	experiment_id text    not null primary key references experiments(id) on delete cascade,
	answer        text    not null, -- what the answer is recorded as: winner:b, control_wins, no_meaningful_difference
	since         integer not null
) without rowid;
