-- Values of custom fields that belong to an attendance (AD-2 target
-- "attendance"), asked when it closes (LC-11): field key -> value.
-- Mirrors migrations/sqlite/0006_attendance_fields.sql.
ALTER TABLE attendances ADD COLUMN custom JSONB NOT NULL DEFAULT '{}'::jsonb;
