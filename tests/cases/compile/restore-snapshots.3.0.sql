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
-- destroys: every account's data is put back as it was at the source: anything written since is lost, accounts created since are dropped, and accounts dropped since come back.
RESTORE CLUSTER FROM SNAPSHOT `c`;
-- restore-snapshots.mobak:10
-- destroys: first drops every non-system database of account `acc1`, then recreates them from the source; anything written since is lost.
RESTORE ACCOUNT `acc1` FROM SNAPSHOT `a`;
-- restore-snapshots.mobak:11
-- destroys: first drops every non-system database of account `sys`, then recreates them from the source; anything written since is lost.
RESTORE ACCOUNT `sys` FROM SNAPSHOT `own`;
-- restore-snapshots.mobak:12
-- destroys: first drops every non-system database of account `acc2`, then recreates them from the source; anything written since is lost.
RESTORE ACCOUNT `acc1` FROM SNAPSHOT `a` TO ACCOUNT `acc2`;
-- restore-snapshots.mobak:13
-- destroys: drops and recreates database `db1` of account `sys` from the source; anything written to the database since is lost.
RESTORE ACCOUNT `sys` DATABASE `db1` FROM SNAPSHOT `d`;
-- restore-snapshots.mobak:14
-- destroys: drops and recreates table `db1.t1` of account `sys` from the source; anything written to the table since is lost.
RESTORE ACCOUNT `sys` DATABASE `db1` TABLE `t1` FROM SNAPSHOT `t`;
