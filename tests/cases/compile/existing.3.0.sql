-- existing.mobak:6
CREATE SNAPSHOT `acc1_before` FOR ACCOUNT `acc1`;
-- existing.mobak:7
-- destroys: first drops every non-system database of account `acc1`, then recreates them from the source; anything written since is lost.
RESTORE ACCOUNT `acc1` FROM PITR `cluster_window` '2026-11-20 23:00:00' `acc1`;
-- existing.mobak:8
-- destroys: first drops every non-system database of account `acc1`, then recreates them from the source; anything written since is lost.
RESTORE ACCOUNT `acc1` FROM SNAPSHOT `acc1_daily`;
