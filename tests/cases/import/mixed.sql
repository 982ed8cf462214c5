-- nightly
create snapshot if not exists sn1  for account;
CREATE PITR p_01 RANGE 1 'D';
restore database sys.tpch{snapshot="tpch_snapshot"};
restore account acc01 from snapshot sp02  to account acc02;
show snapshots where snapshot_name = 'sp04';
create pitr p07 for account range -1 'd';
restore account acc1 from pitr p '2026-01-01 00:00:00' acc2;
restore account acc1 from pitr q '2026-01-01 00:00:00';
restore from pitr p_01 "2026-01-01 00:00:00";
drop snapshot `a``b`;
select 1;
