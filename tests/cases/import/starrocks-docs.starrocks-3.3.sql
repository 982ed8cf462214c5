-- The examples of StarRocks' CREATE REPOSITORY, BACKUP and RESTORE pages, and the forms of
-- STARROCKS.md §2/§4 that every version parses (before 3.4: `SNAPSHOT db.label` only).
CREATE REPOSITORY hdfs_repo WITH BROKER ON LOCATION "hdfs://x.x.x.x:yyyy/repo_dir/backup"
PROPERTIES("username" = "xxxxxxxx", "password" = "yyyyyyyy");
CREATE READ ONLY REPOSITORY s3_repo WITH BROKER ON LOCATION "s3a://bucket_s3/backup"
PROPERTIES("aws.s3.access_key" = "XXXXXXXXXXXXXXXXX", "aws.s3.secret_key" = "yyyyyyyyyyyyyyyyy",
           "aws.s3.endpoint" = "s3.us-east-1.amazonaws.com");
create repository oss_repo with broker 'oss_broker' on location 'oss://starrocks-backup/backup'
properties ('fs.oss.accessKeyId' = 'xxx', 'fs.oss.accessKeySecret' = 'yyy',
            'fs.oss.endpoint' = 'oss-cn-beijing.aliyuncs.com');
BACKUP SNAPSHOT sr_hub.sr_member_backup TO test_repo ON (sr_member);
BACKUP SNAPSHOT example_db.snapshot_label2 TO example_repo
ON (example_tbl PARTITION (p1,p2), example_tbl2)
PROPERTIES ("type" = "full", "timeout" = "3600");
backup snapshot example_db.snapshot_label3 to example_repo on (example_tbl partitions p1, p2);
RESTORE SNAPSHOT sr_hub.sr_member_backup FROM test_repo ON (sr_member)
PROPERTIES ("backup_timestamp"="2024-12-09-10-25-58-842");
RESTORE SNAPSHOT example_db1.snapshot_1 FROM example_repo ON ( backup_tbl )
PROPERTIES ("backup_timestamp"="2018-05-04-16-45-08", "replication_num" = "1");
RESTORE SNAPSHOT example_db1.snapshot_2 FROM example_repo
ON (backup_tbl PARTITION (p1, p2), backup_tbl2 AS new_tbl)
PROPERTIES ("backup_timestamp"="2018-05-04-17-11-01");
RESTORE SNAPSHOT `example_db1`.`snapshot_1` FROM `example_repo` PROPERTIES ("backup_timestamp" = "2018-05-04-16-45-08", "allow_load" = "true", "meta_version" = "-1");
-- 3.4+ syntax: not for 3.3
RESTORE SNAPSHOT sr_member_backup FROM test_repo DATABASE sr_hub ON (TABLE sr_member)
PROPERTIES ("backup_timestamp" = "2024-12-09-10-25-58-842");
BACKUP SNAPSHOT sr_hub.nightly TO test_repo ON (TABLE sr_member);
DROP REPOSITORY hdfs_repo;
