-- Before 3.4 a restore takes its database from `SNAPSHOT db.label` alone: one that names
-- none gets no database and fails when submitted (`Unknown database 'null'`, MB110), with or
-- without `ON`; restoring the backup's own database (`restore backup`) came with 3.4.
RESTORE SNAPSHOT sr_hub_backup FROM test_repo PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
RESTORE SNAPSHOT sr_hub_backup FROM test_repo ON (t1) PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
-- Naming it is the 3.3 form: `restore database`.
RESTORE SNAPSHOT sr_hub.sr_hub_backup FROM test_repo PROPERTIES ("backup_timestamp" = "2024-12-09-10-52-10-940");
