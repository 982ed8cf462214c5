"""The environment variables modsl reads, named once: commands read them, and the schedule
exports write units that set them."""

DSN = "MODSL_DSN"
"""The server to run on, when no --dsn or --dsn-file is given (keeps passwords out of `ps`)."""
