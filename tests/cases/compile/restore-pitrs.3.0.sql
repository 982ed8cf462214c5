-- restore-pitrs.mobak:9
-- destroys: every account's data is put back as it was at the source: anything written since is lost, accounts created since are dropped, and accounts dropped since come back.
RESTORE CLUSTER FROM PITR `pc` '2026-11-20 23:00:00';
-- restore-pitrs.mobak:10
-- destroys: first drops every non-system database of account `sys`, then recreates them from the source; anything written since is lost.
RESTORE FROM PITR `own` '2026-11-20 23:00:00';
-- restore-pitrs.mobak:11
-- destroys: first drops every non-system database of account `sys`, then recreates them from the source; anything written since is lost.
RESTORE ACCOUNT `sys` FROM PITR `pc` '2026-11-20 23:00:00' `sys`;
-- restore-pitrs.mobak:12
-- destroys: first drops every non-system database of account `acc1`, then recreates them from the source; anything written since is lost.
RESTORE ACCOUNT `acc1` FROM PITR `pa` '2026-11-20 23:00:00';
-- restore-pitrs.mobak:13
-- destroys: first drops every non-system database of account `acc2`, then recreates them from the source; anything written since is lost.
RESTORE ACCOUNT `acc2` FROM PITR `pa` '2026-11-20 23:00:00';
-- restore-pitrs.mobak:14
-- destroys: first drops every non-system database of account `acc1`, then recreates them from the source; anything written since is lost.
RESTORE ACCOUNT `acc1` FROM PITR `pc` '2026-11-20 23:00:00' `acc1`;
-- restore-pitrs.mobak:15
-- destroys: first drops every non-system database of account `acc2`, then recreates them from the source; anything written since is lost.
RESTORE ACCOUNT `acc2` FROM PITR `pc` '2026-11-20 23:00:00' `acc1`;
-- restore-pitrs.mobak:16
-- destroys: drops and recreates database `db1` of account `sys` from the source; anything written to the database since is lost.
RESTORE DATABASE `db1` FROM PITR `pd` '2026-11-20 23:00:00';
-- restore-pitrs.mobak:17
-- destroys: drops and recreates table `db1.t1` of account `sys` from the source; anything written to the table since is lost.
RESTORE DATABASE `db1` TABLE `t1` FROM PITR `pd` '2026-11-20 23:00:00';
