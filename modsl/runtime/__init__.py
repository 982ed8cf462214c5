"""What runs plans on servers: connections, journal and locks, the execute loop, jobs, verify
comparison, rollback, the apply session, live checks, status, schedule firings, drills.
Reports through return values and callbacks; never prints (the command line does)."""
