-- restore-snapshots.mobak:4
CREATE SNAPSHOT `c` FOR CLUSTER;
-- restore-snapshots.mobak:5
CREATE SNAPSHOT `a` FOR ACCOUNT `acc1`;
-- restore-snapshots.mobak:6
CREATE SNAPSHOT `own` FOR ACCOUNT;
-- restore-snapshots.mobak:7
CREATE SNAPSHOT `d` FOR DATABASE `db1`;
-- restore-snapshots.mobak:8
CREATE SNAPSHOT `t` FOR TABLE `db1` `t1`;
-- restore-snapshots.mobak:9
RESTORE CLUSTER FROM SNAPSHOT `c`;
-- restore-snapshots.mobak:10
RESTORE ACCOUNT `acc1` FROM SNAPSHOT `a`;
-- restore-snapshots.mobak:11
RESTORE ACCOUNT `sys` FROM SNAPSHOT `own`;
-- restore-snapshots.mobak:12
RESTORE ACCOUNT `acc1` FROM SNAPSHOT `a` TO ACCOUNT `acc2`;
-- restore-snapshots.mobak:13
RESTORE ACCOUNT `sys` DATABASE `db1` FROM SNAPSHOT `d`;
-- restore-snapshots.mobak:14
RESTORE ACCOUNT `sys` DATABASE `db1` TABLE `t1` FROM SNAPSHOT `t`;
