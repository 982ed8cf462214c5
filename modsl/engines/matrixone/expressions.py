"""Typed sqlglot expressions for MatrixOne's snapshot, PITR and restore statements.

Names are `exp.Identifier`s; literals `exp.Literal`s; `kind` is the level in upper case
(CLUSTER, ACCOUNT, DATABASE, TABLE), with the names of that level beside it.
"""

from __future__ import annotations

from typing import ClassVar

from sqlglot import exp

Args = dict[str, bool]
_OBJECT: Args = {"kind": True, "account": False, "database": False, "table": False}
_RANGE: Args = {"value": True, "unit": True}


class CreateSnapshot(exp.Expression):
    arg_types: ClassVar[Args] = {"this": True, **_OBJECT, "exists": False}


class DropSnapshot(exp.Expression):
    arg_types: ClassVar[Args] = {"this": True, "exists": False}


class CreatePitr(exp.Expression):
    arg_types: ClassVar[Args] = {"this": True, **_OBJECT, **_RANGE, "exists": False}


class AlterPitr(exp.Expression):
    arg_types: ClassVar[Args] = {"this": True, **_RANGE, "exists": False}


class DropPitr(exp.Expression):
    arg_types: ClassVar[Args] = {"this": True, "exists": False}


class RestoreSnapshot(exp.Expression):
    """`brace` is the 4.x form `RESTORE ... {SNAPSHOT='s'}`; otherwise `FROM SNAPSHOT s`."""

    arg_types: ClassVar[Args] = {**_OBJECT, "snapshot": True, "to_account": False,
                                 "brace": False}


class RestorePitr(exp.Expression):
    """`source` is the trailing account of `RESTORE ACCOUNT x FROM PITR p 'ts' y`."""

    arg_types: ClassVar[Args] = {**_OBJECT, "pitr": True, "timestamp": True, "source": False}


class ShowSnapshots(exp.Expression):
    arg_types: ClassVar[Args] = {"where": False}


class ShowPitr(exp.Expression):
    arg_types: ClassVar[Args] = {"where": False}


class ShowRecoveryWindow(exp.Expression):
    arg_types: ClassVar[Args] = dict(_OBJECT)


PLAN_STEPS = (CreateSnapshot, DropSnapshot, CreatePitr, AlterPitr, DropPitr, RestoreSnapshot,
              RestorePitr)
SHOWS = (ShowSnapshots, ShowPitr, ShowRecoveryWindow)
