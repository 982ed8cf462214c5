-- Statements the MatrixOne stand-in does not know: each is refused with a MySQL error (never
-- answered OK, never "run"). One statement a line; `--` lines are comments.
GRANT SELECT ON *.* TO u
CREATE ROLE r
FOOBAR baz
ALTER TABLE d.t ADD COLUMN c2 INT
CREATE VIEW v AS SELECT 1
ALTER SNAPSHOT s SET x = 1
RESTORE DATABASE d FROM SNAPSHOT s
CREATE CDC c 'x' 'y'
CREATE PUBLICATION p DATABASE d
ALTER ACCOUNT a SUSPEND
DROP ACCOUNT a
CREATE STAGE s URL = 'x'
RENAME TABLE d.t TO d.u
CREATE INDEX i ON d.t (c)
CALL p()
LOCK TABLES d.t READ
SHOW GRANTS
SHOW VARIABLES
