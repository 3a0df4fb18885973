-- Two roles (Store.SetRole). An admin manages people: adds and invites
-- them, revokes invites, removes accounts and changes roles. A member does
-- everything else: sites, experiments, results, their own API tokens,
-- password and sessions. Until now every account could do all of it, so
-- every account made before this migration becomes an admin: nobody loses
-- a power they had, and whoever runs copylab demotes those who should not
-- keep it. Accounts made from now on are members unless an admin picks
-- otherwise; an account made while there is no admin (the first one, at
-- setup) is an admin (Store.CreateUserBy).
alter table users add column role text not null default 'member' check (role in ('admin', 'member'));
update users set role = 'admin';
-- The role an invite's account gets, picked by the admin who made it.
-- Invites pending at the upgrade make members: nobody has that power yet.
alter table invites add column role text not null default 'member' check (role in ('admin', 'member'));
