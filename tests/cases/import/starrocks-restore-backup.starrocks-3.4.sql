-- A restore that names no database restores the one the backup holds: `restore backup`.
RESTORE SNAPSHOT sr_hub_backup FROM test_repo PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
RESTORE SNAPSHOT `nightly` FROM `test_repo` PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940", "timeout" = "3600", "allow_load" = "true");
-- Without a database the server refuses an `ON` list (AstBuilder).
RESTORE SNAPSHOT sr_hub_backup FROM test_repo ON (t1) PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
