-- When each user's password was last set, in Unix ms: 0 until it is
-- changed (the account's created_at stands for it then). Sign-in limits
-- live in the server's memory, and copylab user password, the way back in
-- for someone locked out by wrong passwords, runs in another process: a
-- sign-in refused for failures counted before this time is let through
-- again, the failures forgotten (app/login_lockout.go).
alter table users add column password_changed_at integer not null default 0;
