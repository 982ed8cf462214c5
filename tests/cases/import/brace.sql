/* MatrixOne 4.x braces, with every quoting people use */
restore cluster{snapshot="cluster_sp"};
restore account acc01 {snapshot = 'sp'} to account acc02;
restore database sys.tpch{snapshot=`s`};
restore table Company.Departments{snapshot=sys_sp};
RESTORE TABLE acc9.db.t{SNAPSHOT='x'};
create pitr p for database d table t range 2 'H';
create pitr p05 database t1 range 3 'h';
show recovery_window for table test2 t1;
