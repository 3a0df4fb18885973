-- The warnings (a broken traffic split, a missing element) go out once per
-- episode: when a warning's condition has been found gone on checks a full
-- day apart, and never found back in between, it is over, and its return
-- is news once more. This row is the condition's clearing since the
-- episode it names was announced: when a check first found it gone, and
-- whether a check a full day later still did (rearmed). A check that finds
-- the condition back before then deletes the row: the same episode goes on.
create table notice_clears (
	experiment_id text    not null references experiments(id) on delete cascade,
	notice        text    not null, -- srm or element_missing
	episode       integer not null, -- the episode announced before it cleared: 1 for "srm", 2 for "srm:2", …
	cleared_at    integer not null,
	rearmed       integer not null default 0,
	primary key (experiment_id, notice)
) without rowid;
