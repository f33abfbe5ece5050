-- When the absence message of the attendance's agent (LC-19) was sent to
-- the contact: once per attendance, so a contact who keeps writing is not
-- answered with it again and again.
ALTER TABLE attendances ADD COLUMN absence_sent_at BIGINT;
