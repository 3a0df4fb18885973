-- What a webhook said when it refused for good, beside its status, when
-- the receiver names its reason: Slack answers a deleted webhook, a
-- revoked token or a disabled workspace with a plain-text error such as
-- "no_service" or "invalid_token", some of them with 400, which alone
-- would read as a refusal of one message. The site page shows it and
-- says what it means. '' when the receiver named none.
alter table webhook_refusals add column answer text not null default '';
