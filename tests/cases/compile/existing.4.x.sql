-- existing.mobak:6
CREATE SNAPSHOT `acc1_before` FOR ACCOUNT `acc1`;
-- existing.mobak:7
RESTORE ACCOUNT `acc1` FROM PITR `cluster_window` '2026-11-20 23:00:00' `acc1`;
-- existing.mobak:8
RESTORE ACCOUNT `acc1`{SNAPSHOT='acc1_daily'};
