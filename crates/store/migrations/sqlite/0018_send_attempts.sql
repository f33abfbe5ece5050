-- Defect 18 of issue #7: a send whose outcome is unknown (the Graph API
-- took the request but its answer never arrived, or the process died
-- between the two) is not sent again blindly. Before each request the
-- send job records when it tried and how many times; a status webhook
-- carrying our message id (biz_opaque_callback_data) proves the send went.
-- A message with an attempt on record and no proof waits for one, for a
-- bounded time, before it is sent again. Mirrors migrations/postgres/0018_send_attempts.sql.

ALTER TABLE messages ADD COLUMN send_attempted_at BIGINT;
ALTER TABLE messages ADD COLUMN send_tries INTEGER NOT NULL DEFAULT 0;
