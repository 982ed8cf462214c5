-- A PARTITION (column = value) spec names no partition (StarRocks' AstBuilder keeps the
-- values aside, and nothing on the backup path reads them): a backup records t1 but takes
-- none of its data, a restore puts back all of it. Refused, on every version.
BACKUP SNAPSHOT sr_hub.s1 TO test_repo ON (t1 PARTITION (dt = '2024-01-01'));
RESTORE SNAPSHOT s1 FROM test_repo DATABASE sr_hub ON (t1 PARTITION (dt = DATE '2024-01-01')) PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
-- A backup that names no database: the job is given none, and fails when it is submitted.
BACKUP SNAPSHOT s2 TO test_repo;
-- What StarRocks' grammar does not read as a spec by value is a syntax error (MB101): no
-- PARTITIONS or TEMPORARY before it, a column name (not a string), an unsigned literal.
BACKUP SNAPSHOT sr_hub.s1 TO test_repo ON (t1 PARTITIONS (dt = '2024-01-01'));
BACKUP SNAPSHOT sr_hub.s1 TO test_repo ON (t1 TEMPORARY PARTITION (dt = '2024-01-01'));
BACKUP SNAPSHOT sr_hub.s1 TO test_repo ON (t1 PARTITION ('dt' = '2024-01-01'));
BACKUP SNAPSHOT sr_hub.s1 TO test_repo ON (t1 PARTITION (k = -1));
-- Partitions by name say what they do.
BACKUP SNAPSHOT sr_hub.s1 TO test_repo ON (t1 PARTITION (p20240101));
RESTORE SNAPSHOT s1 FROM test_repo DATABASE sr_hub ON (t1 PARTITION (p20240101)) PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
