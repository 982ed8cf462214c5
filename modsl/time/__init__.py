"""Time as plans mean it, as pure functions: timestamps and PITR windows in a server zone, and
schedules (cron cadence, zones, name templates)."""
