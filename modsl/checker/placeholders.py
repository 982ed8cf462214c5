"""What a reviewed statement may hold in place of a value that only exists at run time: apply
fills it in as it sends the statement. Its own module, so the checker that plans a rollback
does not load the `.sql` reader to name it."""

BEFORE = "'{before}'"
"""In a rollback from a PITR, the moment to restore to: the server's time just before the
restore ran, which apply reads (`SELECT now(6)`) and journals."""
