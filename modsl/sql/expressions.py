"""Typed sqlglot expressions for MatrixOne's snapshot, PITR and restore statements.

Names are `exp.Identifier`s; literals `exp.Literal`s; `kind` is the level in upper case
(CLUSTER, ACCOUNT, DATABASE, TABLE).
"""

from __future__ import annotations

from sqlglot import exp


class _Scoped(exp.Expression):
    """Shared by statements that name an object: kind, then account/database/table."""


class CreateSnapshot(_Scoped):
    arg_types = {"this": True, "kind": True, "account": False, "database": False,
                 "table": False, "exists": False}


class DropSnapshot(exp.Expression):
    arg_types = {"this": True, "exists": False}


class CreatePitr(_Scoped):
    arg_types = {"this": True, "kind": True, "account": False, "database": False,
                 "table": False, "value": True, "unit": True, "exists": False}


class AlterPitr(exp.Expression):
    arg_types = {"this": True, "value": True, "unit": True, "exists": False}


class DropPitr(exp.Expression):
    arg_types = {"this": True, "exists": False}


class RestoreSnapshot(_Scoped):
    """`brace` is the 4.x form `RESTORE ... {SNAPSHOT='s'}`; otherwise `FROM SNAPSHOT s`."""

    arg_types = {"kind": True, "account": False, "database": False, "table": False,
                 "snapshot": True, "to_account": False, "brace": False}


class RestorePitr(_Scoped):
    """`source` is the trailing account of `RESTORE ACCOUNT x FROM PITR p 'ts' y`."""

    arg_types = {"kind": True, "account": False, "database": False, "table": False,
                 "pitr": True, "timestamp": True, "source": False}


class ShowSnapshots(exp.Expression):
    arg_types = {"where": False}


class ShowPitr(exp.Expression):
    arg_types = {"where": False}


class ShowRecoveryWindow(_Scoped):
    arg_types = {"kind": True, "account": False, "database": False, "table": False}


PLAN_STEPS = (CreateSnapshot, DropSnapshot, CreatePitr, AlterPitr, DropPitr, RestoreSnapshot,
              RestorePitr)
SHOWS = (ShowSnapshots, ShowPitr, ShowRecoveryWindow)
