-- snapshots.mobak:5
CREATE SNAPSHOT `c1` FOR CLUSTER;
-- snapshots.mobak:6
CREATE SNAPSHOT `a1` FOR ACCOUNT;
-- snapshots.mobak:7
CREATE SNAPSHOT `a2` FOR ACCOUNT `acc1`;
-- snapshots.mobak:8
CREATE SNAPSHOT `d1` FOR DATABASE `db1`;
-- snapshots.mobak:9
CREATE SNAPSHOT `t1` FOR TABLE `db1` `t1`;
-- snapshots.mobak:10
CREATE SNAPSHOT IF NOT EXISTS `c2` FOR CLUSTER;
-- snapshots.mobak:11
DROP SNAPSHOT `c2`;
-- snapshots.mobak:12
DROP SNAPSHOT IF EXISTS `c1`;
