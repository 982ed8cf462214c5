-- Statements the StarRocks stand-in does not know: each is refused with a MySQL error (never
-- answered OK, never "run"). One statement a line; `--` lines are comments.
GRANT SELECT ON *.* TO u
FOOBAR baz
ALTER REPOSITORY r PROPERTIES ('a' = 'b')
DROP SNAPSHOT ON r WHERE SNAPSHOT = 'x'
ADMIN SET FRONTEND CONFIG ('a' = 'b')
RECOVER DATABASE d
SUBMIT TASK AS SELECT 1
CREATE MATERIALIZED VIEW mv AS SELECT 1
REFRESH MATERIALIZED VIEW mv
SHOW FRONTENDS
ALTER TABLE d.t ADD COLUMN c2 INT
CREATE VIEW v AS SELECT 1
SELECT GET_LOCK('modsl', 0)
