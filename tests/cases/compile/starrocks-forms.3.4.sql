-- starrocks-forms.mobak:4
CREATE REPOSITORY `nightly_repo` WITH BROKER ON LOCATION "s3://bucket/nightly" PROPERTIES ("aws.s3.region" = "us-east-1", "aws.s3.access_key" = env("AWS_ACCESS_KEY_ID"), "aws.s3.secret_key" = env("AWS_SECRET_ACCESS_KEY"));
-- starrocks-forms.mobak:5
CREATE READ ONLY REPOSITORY `archive` WITH BROKER `hdfs_broker` ON LOCATION "hdfs://nn:8020/backups";
-- starrocks-forms.mobak:6
CREATE REPOSITORY `plain` WITH BROKER ON LOCATION "s3://b/p";
-- starrocks-forms.mobak:8
BACKUP DATABASE `sales` SNAPSHOT `sales_all` TO `nightly_repo`;
-- starrocks-forms.mobak:9
BACKUP DATABASE `sales` SNAPSHOT `sales_some` TO `nightly_repo` ON (TABLE `orders`, TABLE `items` PARTITION (`p202601`, `p202602`)) PROPERTIES ("timeout" = "7200", "type" = "FULL");
-- starrocks-forms.mobak:10
-- destroys: a table of the backup that exists in the target database with the same schema is overwritten partition by partition (data written to those partitions since the backup is lost); one with a different schema makes the job fail; absent tables are created; other tables are left alone.
RESTORE SNAPSHOT `sales_old` FROM `legacy` DATABASE `sales` PROPERTIES ("backup_timestamp" = "2026-11-20-10-00-00-123");
-- starrocks-forms.mobak:11
-- destroys: a table of the backup that exists in the target database with the same schema is overwritten partition by partition (data written to those partitions since the backup is lost); one with a different schema makes the job fail; absent tables are created; other tables are left alone.
RESTORE SNAPSHOT `sales_old` FROM `legacy` DATABASE `sales` ON (TABLE `orders` PARTITION (`p1`, `p-2`) AS `orders_restored`, TABLE `items`) PROPERTIES ("backup_timestamp" = "2026-11-20-10-00-00", "replication_num" = "1", "allow_load" = "false", "timeout" = "3600", "meta_version" = "-1", "starrocks_meta_version" = "-1");
-- starrocks-forms.mobak:12
-- destroys: a table of the backup that exists in the target database with the same schema is overwritten partition by partition (data written to those partitions since the backup is lost); one with a different schema makes the job fail; absent tables are created; other tables are left alone.
RESTORE SNAPSHOT `sales_all` FROM `nightly_repo` DATABASE `sales` PROPERTIES ("backup_timestamp" = "{backup_timestamp}");
-- starrocks-forms.mobak:13
-- verify: >= 1
SELECT COUNT(*) FROM `sales`.`orders_restored`;
-- starrocks-forms.mobak:14
DROP REPOSITORY `plain`;
