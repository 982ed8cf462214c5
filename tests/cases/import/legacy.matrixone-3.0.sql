-- A MatrixOne 3.0 script: the legacy restore syntax, in the forms its tests write.
create snapshot sp01 for account;
create snapshot `sp02` for database db01;
restore account sys database db01 from snapshot sp02 ;
restore account acc01 database db01 table t1 from snapshot sp01;
restore account acc01 from snapshot sp02  to account acc02;
restore cluster from snapshot cluster_sp;
restore database db1{snapshot='sp01'};
