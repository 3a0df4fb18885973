-- Who added each account, and how, so that the Users page can say it and
-- removing a member can name the accounts they brought in, which stay
-- (Store.RemoveUser). added_via is 'setup' (the first account), 'cli'
-- (copylab user add), 'hand' (Users → Add) or 'invite' (a link accepted);
-- '' for an account made before this migration, of which nothing is known.
-- added_by is the adder's id only while they have an account: ids are
-- given again (users.id has no AUTOINCREMENT), so a removal clears it.
-- added_by_email is their email as it was, and outlives them; '' for
-- setup, the command line and the command line's invites.
alter table users add column added_via text not null default '';
alter table users add column added_by integer references users(id) on delete set null;
alter table users add column added_by_email text not null default '';
create index users_added_by on users(added_by);
