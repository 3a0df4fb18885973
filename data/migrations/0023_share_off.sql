-- Turning a share link off: a team that showed the read-only results to an
-- agency, or put the link in a deck, can stop it opening anything without
-- handing out a new one. share_token stays (it is not null and unique):
-- while share_off is 1, no /r/ path finds the experiment by it and the app
-- offers no link. Turning off also replaces the token, never shown, so the
-- link given out is gone even for a query that forgot share_off
-- (Store.TurnOffShareLink); a new link turns sharing back on with a fresh
-- token (Store.NewShareLink). Links made before this stay on.
alter table experiments add column share_off integer not null default 0;
