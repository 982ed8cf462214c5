"""MatrixOne's words for `modsl explain` (`ENGINE.words()`): who may run each statement it
owns (its roles: moadmin in sys, accountadmin in a tenant). What a statement does is the
language's, worded once in `modsl.explainer`."""

from __future__ import annotations

from modsl.language import ast

_SYS_ONLY = "only the sys account (its moadmin role)"


class Words:
    def header(self, account: str) -> str:
        return f"run as account `{account or '?'}`"

    def who(self, st: ast.Statement, own: str) -> str:
        mine = f"the admin of account `{own}` (accountadmin, or moadmin in sys)"
        match st:
            case ast.CreateSnapshot() | ast.CreatePitr() | ast.Restore():
                scope = st.scope
                if scope.level is ast.Level.CLUSTER:
                    return _SYS_ONLY
                if isinstance(st, ast.CreatePitr) and scope.account is not None:
                    return _SYS_ONLY + ": a PITR that names an account is sys's"
                if scope.account is not None and scope.account.key != own:
                    return _SYS_ONLY + ": it names another account"
                if isinstance(st, ast.Restore) and st.to_account is not None:
                    return _SYS_ONLY + ": it restores into another account"
                return mine
            case ast.ScheduledSnapshot():
                return self.who(ast.CreateSnapshot(st.name, st.scope), own) + " (at each firing)"
            case ast.Clone():
                if st.to_account is not None and st.to_account.key != own:
                    return _SYS_ONLY + ": it clones into another account"
                return mine
            case ast.Drill():
                return mine + " (at each firing, through `modsl run`)"
            case _:  # DROP SNAPSHOT, ALTER/DROP PITR: the account's own objects
                return mine

    def does(self, st: ast.Statement, own: str) -> tuple[str, list[str]] | None:
        return None

    def destroys(self, st: ast.Restore | ast.RestoreBackup, own: str) -> str | None:
        return None


WORDS = Words()
