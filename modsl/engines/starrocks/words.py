"""StarRocks' words for `modsl explain` (`ENGINE.words()`): its privileges (REPOSITORY on
SYSTEM, EXPORT, ...), what its repository, backup and restore statements do (asynchronous
jobs, SHOW BACKUP / SHOW RESTORE), and what a restore overwrites
(RestoreJob.checkAndPrepareMeta)."""

from __future__ import annotations

from modsl.explainer import template_words
from modsl.language import ast

JOB = ("The server returns at once; apply waits for the job (SHOW BACKUP / SHOW RESTORE), "
       "shows its progress, and fails the step if it ends CANCELLED. Its timeout is the "
       '`"timeout"` property, 86400 s (one day) by default.')


def _items(items: tuple[ast.TableItem, ...]) -> str:
    def one(t: ast.TableItem) -> str:
        parts = (f" (partitions {', '.join(p.text for p in t.partitions)} only)"
                 if t.partitions else "")
        alias = "" if t.alias is None else f" as `{t.alias.text}`"
        return f"table `{t.name.text}`{parts}{alias}"

    return ", ".join(one(t) for t in items)


class Words:
    def header(self, account: str) -> str:
        return "StarRocks has no accounts; each step says which privileges it needs"

    def who(self, st: ast.Statement, own: str) -> str:
        match st:
            case ast.Backup():
                return ("a user with REPOSITORY on SYSTEM and EXPORT on every table it backs "
                        "up (the whole database when no tables are listed)"
                        + ("" if st.schedule is None else " (at each firing)"))
            case ast.RestoreBackup():
                if st.tables:
                    return ("a user with REPOSITORY on SYSTEM, CREATE TABLE on the target "
                            "database and INSERT on each listed table that exists there")
                return "a user with REPOSITORY on SYSTEM and CREATE DATABASE"
            case _:  # CREATE / DROP REPOSITORY
                return "a user with the REPOSITORY privilege on SYSTEM"

    def does(self, st: ast.Statement, own: str) -> tuple[str, list[str]] | None:
        match st:
            case ast.CreateRepository():
                mode = (" read-only: restores may read it, backups may not write to it"
                        if st.read_only else "")
                secrets = [p.env for p in st.properties if p.env is not None]
                env = (" Its credentials are read from the environment (" + ", ".join(
                    f"${e}" for e in secrets) + ") when apply runs it, and written nowhere."
                    if secrets else "")
                return (f"Creates repository `{st.name.text}` on `{st.location}`{mode}.{env}",
                        [f"repository `{st.name.text}`"])
            case ast.DropRepository():
                return (f"Drops repository `{st.name.text}` from StarRocks' catalog; the "
                        "backups stay in storage (a new repository on the location reads "
                        "them). Fails while a backup or restore job uses it.",
                        [f"repository `{st.name.text}`"])
            case ast.Backup():
                return _backup(st)
            case ast.RestoreBackup() if st.names_no_database:
                at = ("the timestamp of the backup this plan made (read from SHOW SNAPSHOT "
                      "just before the restore)" if st.at is None else st.at.text)
                return (f"Starts an asynchronous restore job from repository "
                        f"`{st.repository.text}`, snapshot `{st.snapshot.text}` taken at "
                        f"{at}: every table of the database the backup holds, into the "
                        "database of that name, created if absent (the plan does not say "
                        f"which: SHOW SNAPSHOT ON `{st.repository.text}` does). {JOB}",
                        ["the backup's database"])
            case ast.RestoreBackup():
                db = st.scope.database.text if st.scope.database else "?"
                target = st.into.text if st.into else db
                at = ("the timestamp of the backup this plan made (read from SHOW SNAPSHOT "
                      "just before the restore)" if st.at is None else st.at.text)
                what = "every table it holds" if not st.tables else _items(st.tables)
                return (f"Starts an asynchronous restore job from repository "
                        f"`{st.repository.text}`, snapshot `{st.snapshot.text}` taken at "
                        f"{at}: {what} of database `{db}` into database `{target}` (created "
                        f"if absent). {JOB}", [f"database `{target}`"])
            case _:
                return None

    def destroys(self, st: ast.Restore | ast.RestoreBackup, own: str) -> str | None:
        return ("a table of the backup that exists in the target database with the same "
                "schema is overwritten partition by partition (data written to those "
                "partitions since the backup is lost); one with a different schema makes the "
                "job fail; absent tables are created; other tables are left alone.")


def _backup(st: ast.Backup) -> tuple[str, list[str]]:
    what = (f"database `{st.database.text}`" if not st.tables else
            f"{_items(st.tables)} of database `{st.database.text}`")
    touches = [f"database `{st.database.text}`", f"repository `{st.repository.text}`"]
    if st.schedule is not None:
        return (f"On schedule `{st.schedule.key}`: a backup job of {what} to repository "
                f"`{st.repository.text}`, labelled "
                f"{template_words(st.snapshot.text, keep_case=True)}. `modsl run` takes it at "
                "each firing under that firing's label and waits for the job (SHOW BACKUP), "
                "failing the firing if it ends CANCELLED; a retried firing finds its label in "
                "the repository and sends nothing. Never run by `apply`. StarRocks cannot "
                "delete a backup by SQL: old ones expire by the storage's lifecycle rule.",
                touches)
    return (f"Starts an asynchronous backup job: {what} to repository `{st.repository.text}` "
            f"as snapshot `{st.snapshot.text}`. {JOB}", touches)


WORDS = Words()
