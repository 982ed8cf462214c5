-- What a plan cannot say as written: each kept as a comment, with the reason.
BACKUP ALL EXTERNAL CATALOGS SNAPSHOT cat_backup TO test_repo;
RESTORE SNAPSHOT cat_backup FROM test_repo EXTERNAL CATALOG (hive1 AS hive2) PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
BACKUP DATABASE sr_hub SNAPSHOT s1 TO test_repo ON (ALL TABLES);
BACKUP DATABASE sr_hub SNAPSHOT s2 TO test_repo ON (MATERIALIZED VIEW mv1, FUNCTION f1);
BACKUP DATABASE sr_hub SNAPSHOT s3 TO test_repo ON (TABLE other_db.t1);
BACKUP DATABASE sr_hub SNAPSHOT s4 TO test_repo ON (t1 TEMPORARY PARTITION (tp1));
BACKUP DATABASE sr_hub SNAPSHOT s5 TO test_repo ON (t1 PARTITION (k = 1));
BACKUP SNAPSHOT session_db_backup TO test_repo;
RESTORE SNAPSHOT sr_hub_backup FROM test_repo ON (t1) PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
RESTORE SNAPSHOT sr_hub.sr_hub_backup FROM test_repo ON (ALL TABLES);
RESTORE SNAPSHOT sr_hub.s FROM test_repo PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940", "backup_timestamp" = "2024-12-09-10-52-11-000");
RESTORE SNAPSHOT sr_hub.s FROM test_repo DATABASE sr_hub PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
BACKUP SNAPSHOT a.b.c TO test_repo;
BACKUP DATABASE sr_hub SNAPSHOT s6 TO test_repo ON (`odd``name`);
CREATE REPOSITORY r2 WITH BROKER ON LOCATION "s3://b/p" PROPERTIES ();
CREATE REPOSITORY r3 WITH BROKER ON LOCATION "s3://b/p" PROPERTIES ("aws.s3.secret_key" = "hush-hush" "aws.s3.region" = "x");
RESTORE SNAPSHOT sr_hub.s FROM test_repo PROPERTIES ("backup_timestamp" = 20241209);
BACKUP DATABASE sr_hub SNAPSHOT s7 TO test_repo ON (t1) PROPERTIES ("timeout" = "3600") extra;
SHOW SNAPSHOT ON test_repo;
SHOW RESTORE FROM sr_hub;
CANCEL BACKUP FROM sr_hub;
CREATE TABLE t (id INT);
-- Imported, and the plan's checker speaks: an alias in a backup, an unknown property key.
BACKUP DATABASE sr_hub SNAPSHOT s8 TO test_repo ON (t1 AS t2) PROPERTIES ("Timeout" = "3600");
