"""AST → plain words: what each step does, what it touches, who may run it, what it destroys,
and what could undo it, from the facts the checker found (no second walk of the plan)."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Protocol, assert_never

from modsl import targets
from modsl.checker import restores_in_place
from modsl.checker.state import InPlace, Known, describe, level, overwritten, resolve
from modsl.language import ast, fmt
from modsl.language.ast import replace

if TYPE_CHECKING:
    from modsl.checker import CheckedPlan, RestoreFacts

class Words(Protocol):
    """An engine's own words for `modsl explain` (`Engine.words()`): who may run a statement
    it owns (its roles or privileges), what one only it has does, what its restore destroys.
    A statement is worded by the engine that owns it (`Engine.statements`)."""

    def header(self, account: str) -> str:
        """Who a plan runs as, for the explanation's first line."""
        ...

    def who(self, st: ast.Statement, own: str) -> str:
        """Who may run `st` (a statement this engine owns that runs something)."""
        ...

    def does(self, st: ast.Statement, own: str) -> tuple[str, list[str]] | None:
        """What `st` does and what it touches, or None: the language's words say it."""
        ...

    def destroys(self, st: ast.Restore | ast.RestoreBackup, own: str) -> str | None:
        """What a restore destroys, or None: the language's words say it."""
        ...


def words_for(st: ast.Statement, engine: str | None = None) -> Words:
    """The words of the engine that owns `st`: the plan's `engine` when it does, else the
    first that does (a plan with MB408 is still explained)."""
    return targets.owner(type(st), engine).words()


NOT_ATOMIC = ("Steps run one at a time, top to bottom, never inside a transaction. The plan is "
              "not atomic: if a step fails, the steps before it have already happened.")


class ExplainedStep(NamedTuple):
    file: str
    line: int
    statement: str
    does: str
    touches: list[str]
    who: str
    destroys: str | None
    undo: str | None
    rollback: str | None = None
    """With `rollback on failure`: the restore that puts it back if a later step fails."""


ROLLS_BACK = ("On failure (`rollback on failure`): if a step after the first restore, or a "
              "verify, fails, the run stops and puts back, newest first, every object it "
              "restored, each as its `Rollback` line says. Creates and drops are not undone.")


class Explanation(NamedTuple):
    file: str
    account: str
    steps: list[ExplainedStep]
    rolls_back: bool = False
    accounts: bool = True
    """The target engine runs plans as an account (it has tenants)."""
    header: str | None = None
    """Who the plan runs as, in the engine's words (`Words.header`)."""

    def to_text(self) -> str:
        who = self.header or (f"run as account `{self.account or '?'}`" if self.accounts else
                              "the target has no accounts; each step says which privileges "
                              "it needs")
        out = [f"{self.file}: {who}.", NOT_ATOMIC,
               *([ROLLS_BACK] if self.rolls_back else []), ""]
        for s in self.steps:
            out.append(f"line {s.line}: {s.statement}")
            out.append(f"  {s.does}")
            if s.destroys:
                out.append(f"  DESTROYS: {s.destroys}")
            out.append(f"  Who may run it: {s.who}")
            if s.undo:
                out.append(f"  Undo: {s.undo}")
            if s.rollback:
                out.append(f"  Rollback: {s.rollback}")
            out.append("")
        return "\n".join(out)

    def to_json(self) -> str:
        import json

        return json.dumps({"file": self.file, "account": self.account, "atomic": False,
                           "rollback_on_failure": self.rolls_back,
                           "steps": [s._asdict() for s in self.steps]},
                          indent=2, ensure_ascii=False) + "\n"


_UNIT_WORDS = {"h": "hour", "d": "day", "w": "week", "mo": "month", "y": "year"}


def _window(d: ast.Duration) -> str:
    """`7 days`, `1 month`; an invalid unit (MB204) as written."""
    word = _UNIT_WORDS.get(d.unit)
    if word is None:
        return str(d)
    return f"{d.value} {word}" + ("" if d.value == 1 else "s")


def _what(key: tuple[str, ...]) -> str:
    if len(key) >= 2:
        return f"{describe(key)} of account `{key[0]}`"
    return describe(key)


def _who(st: ast.Statement, own: str, engine: str) -> str:
    match st:
        case ast.ExistingSnapshot() | ast.ExistingPitr() | ast.ExistingRepository():
            return "nobody: a declaration runs nothing"
        case ast.Verify():
            where = st.account.key if st.account is not None else own
            return f"any user of account `{where}` who may read what it reads"
        case ast.Schedule():
            return "nobody: it says when `modsl run` takes the snapshots on it"
        case (ast.CreateSnapshot() | ast.DropSnapshot() | ast.CreatePitr() | ast.AlterPitr()
              | ast.DropPitr() | ast.Restore() | ast.ScheduledSnapshot() | ast.Clone()
              | ast.Drill() | ast.CreateRepository() | ast.DropRepository() | ast.Backup()
              | ast.RestoreBackup()):
            return words_for(st, engine).who(st, own)  # roles and privileges are the engine's
        case _:
            assert_never(st)


def destroys(st: ast.Restore | ast.RestoreBackup, own: str, engine: str | None = None) -> str:
    """What a restore drops before it restores, in one sentence: the owning engine's words
    where it has its own."""
    worded = words_for(st, engine).destroys(st, own)
    if worded is not None:
        return worded
    assert isinstance(st, ast.Restore), "an engine words what its own restore destroys"
    obj = overwritten(st, own)
    if not obj:
        return ("every account's data is put back as it was at the source: anything written "
                "since is lost, accounts created since are dropped, and accounts dropped since "
                "come back.")
    if len(obj) == 1:
        return (f"first drops every non-system database of account `{obj[0]}`, then "
                "recreates them from the source; anything written since is lost.")
    what = "database" if len(obj) == 2 else "table"
    return (f"drops and recreates {_what(obj)} from the source; anything written to the "
            f"{what} since is lost.")


def _undo(st: ast.Restore, own: str, facts: RestoreFacts, in_place: InPlace) -> str:
    obj = overwritten(st, own)
    if facts.undoers:
        known = facts.undoers[-1]  # the narrowest: the cheapest restore that puts it back
        what = "snapshot" if known.kind is ast.SourceKind.SNAPSHOT else "PITR"
        return f"{what} `{known.name}` (line {known.span.line}) covers {_what(obj)}."
    why = [_not_an_undo(k, obj, in_place) for k in facts.covering]
    notes = "".join(f" {w}" for w in why if w)
    return f"nothing in this plan could undo it: this restore cannot be undone (MB501).{notes}"


def _not_an_undo(known: Known, obj: tuple[str, ...], in_place: InPlace) -> str | None:
    """Why an object that covers the obj is still no undo, in words."""
    assert known.key is not None
    name = f"`{known.name}` (line {known.span.line})"
    kind = "Snapshot" if known.kind is ast.SourceKind.SNAPSHOT else "PITR"
    if level(known.key) not in in_place.get(level(obj), ()):
        return (f"{kind} {name} covers it at {level(known.key).value} level, but "
                f"the server restores {describe(obj)} only from "
                + " or ".join(f"{lv.value}-level" for lv in in_place.get(level(obj), ()))
                + " sources: only a restore of the whole cluster could use it.")
    if known.kind is ast.SourceKind.SNAPSHOT and known.declared:
        return f"Snapshot {name} was made elsewhere: the plan cannot know it is recent."
    if known.kind is ast.SourceKind.SNAPSHOT:
        return (f"Snapshot {name} is taken `if not exists`: when the name exists the server "
                "takes nothing, so it may be old.")
    return None


def _source(known: Known | None, st: ast.Restore) -> str:
    src = st.source
    what = "snapshot" if src.kind is ast.SourceKind.SNAPSHOT else "PITR"
    text = f"{what} `{src.name.key}`"
    if known is not None and known.key is not None:
        text += f" (of {_what(known.key)})"
    if src.at is not None:
        text += f" as it was at {src.at.text} (server time)"
    return text


def _describe(st: ast.Statement, own: str, facts: RestoreFacts | None,
              engine: str) -> tuple[str, list[str]]:
    match st:
        case ast.ExistingSnapshot():
            key = resolve(st.scope, own)
            return (f"Declares snapshot `{st.name.key}` of {_what(key)}, made elsewhere. "
                    "Runs nothing.", [_what(key)])
        case ast.CreateSnapshot():
            key = resolve(st.scope, own)
            quiet = (" If a snapshot of that name exists, nothing happens: no new snapshot is "
                     "taken, and the old one stays." if st.if_not_exists else "")
            return f"Creates snapshot `{st.name.key}` of {_what(key)}.{quiet}", [_what(key)]
        case ast.ExistingPitr():
            key = resolve(st.scope, own)
            window = "" if st.range is None else f" keeping {_window(st.range)} of history"
            return (f"Declares PITR `{st.name.key}` on {_what(key)}{window}, made elsewhere. "
                    "Runs nothing.", [_what(key)])
        case ast.CreatePitr():
            key = resolve(st.scope, own)
            quiet = (" If a PITR of that name exists, nothing happens: it keeps its own window "
                     "and object." if st.if_not_exists else "")
            return (f"Starts PITR `{st.name.key}` on {_what(key)} keeping "
                    f"{_window(st.range)} of history: it can later be restored to any moment "
                    f"in that window after now.{quiet}", [_what(key)])
        case ast.AlterPitr():
            return f"Changes the window of PITR `{st.name.key}` to {_window(st.range)}.", []
        case ast.DropSnapshot() | ast.DropPitr():
            what = "snapshot" if isinstance(st, ast.DropSnapshot) else "PITR"
            quiet = " If it does not exist, nothing happens." if st.if_exists else ""
            return (f"Drops {what} `{st.name.key}`; what it kept can no longer be "
                    f"restored.{quiet}", [])
        case ast.Restore():
            known = None if facts is None else facts.source
            into = ""
            if st.to_account is not None and st.scope.level is ast.Level.ACCOUNT:
                into = f" into account `{st.to_account.key}`"
            elif st.to_account is not None:  # MB109, MB305: no such restore on the server
                into = (f" (`to account {st.to_account.key}` is no part of a "
                        f"{st.scope.level.value} restore on the server: nothing goes into it)")
            return (f"Restores {_what(resolve(st.scope, own))}{into} from "
                    f"{_source(known, st)}.", [_what(overwritten(st, own))])
        case ast.Verify():
            where = ("" if st.account is None else
                     f", reading in account `{st.account.key}` (apply logs into it)")
            return (f"Checks that {verify_words(st)}{where}; stops the run if not. Reads "
                    "only.", [])
        case ast.Schedule():
            return f"Schedule `{st.name.key}`: {schedule_words(st)}.", []
        case ast.ScheduledSnapshot():
            key = resolve(st.scope, own)
            return (f"On schedule `{st.schedule.key}`: a snapshot of {_what(key)} named "
                    f"{template_words(st.name.text)}; {_keeps(st)}. Taken by `modsl run`, "
                    "never by `apply`.", [_what(key)])
        case ast.ExistingRepository():
            return (f"Declares repository `{st.name.text}`, made elsewhere. Runs nothing.",
                    [f"repository `{st.name.text}`"])
        case (ast.CreateRepository() | ast.DropRepository() | ast.Backup()
              | ast.RestoreBackup()):
            described = words_for(st, engine).does(st, own)
            assert described is not None, f"no engine words {type(st).__name__}"
            return described
        case ast.Clone():
            return clone_words(st, own), [_what(_clone_target(st, own))]
        case ast.Drill():
            checks = "; ".join(verify_words(v) for v in st.verifies) or "nothing (add verifies)"
            return (f"On schedule `{st.schedule.key}`: a restore test. Clones the newest "
                    f"snapshot that `{st.snapshot.text}` made into scratch database "
                    f"{template_words(st.scratch.text)}, checks that {checks}, then drops the "
                    "clone (a clone an earlier firing left behind is dropped first). Destroys "
                    "nothing else. Run by `modsl run`, never by `apply`.", [])
        case _:
            assert_never(st)


def _clone_target(st: ast.Clone, own: str) -> tuple[str, ...]:
    account = own if st.to_account is None else st.to_account.key
    assert st.into.database is not None
    return (account, st.into.database.key) + (
        () if st.into.table is None else (st.into.table.key,))


def clone_words(st: ast.Clone, own: str) -> str:
    """A clone in words: what it copies, from when, into what; it destroys nothing."""
    src = st.source
    when = (f"as snapshot `{src.name.key}` holds it" if src.at is None
            else f"as it was at {src.at.text} (PITR `{src.name.key}`)")
    return (f"Copies {_what(resolve(st.scope, own))} {when} into a new "
            f"{_what(_clone_target(st, own))}. Destroys nothing: the server refuses it if "
            "that name exists.")


_OP_WORDS = {">=": "at least", ">": "more than", "=": "exactly", "<=": "at most",
             "<": "fewer than"}


def verify_words(st: ast.Verify) -> str:
    """`table orders.items has at least 1000 rows`, and so on."""
    db = st.database.key if st.database else ""
    table = f"{db}.{st.table.key}" if st.table else db
    match st.kind:
        case ast.VerifyKind.ROWS:
            return f"table {table} has {_OP_WORDS[st.op]} {st.expected} rows"
        case ast.VerifyKind.TABLE:
            return f"table {table} exists"
        case ast.VerifyKind.DATABASE:
            return f"database {db} exists"
        case ast.VerifyKind.QUERY:
            shown = st.expected if isinstance(st.expected, int) else f'"{st.expected}"'
            return f"the first value of `{st.query}` is {st.op} {shown}"
        case _:
            assert_never(st.kind)


def schedule_words(st: ast.Schedule) -> str:
    """`every day at 01:00 Asia/Shanghai`, `cron "0 */6 * * *" in UTC`."""
    zone = st.zone or "UTC"
    if st.cron is not None:
        return f'cron "{st.cron}" in {zone}'
    on = "" if st.on is None else f" on {st.on.lower()}"
    at = f" at {st.at}" if st.every != "hour" else f" at {st.at} past the hour"
    return f"every {st.every}{on}{at} {zone}"


def template_words(template: str, keep_case: bool = False) -> str:
    """`acc1_{date}` as `acc1_YYYYMMDD`: lowercased as the server keeps a name, or
    (`keep_case`, a label whose case the server keeps) as written."""
    words = {"date": "YYYYMMDD", "time": "HHMM", "ts": "YYYYMMDDHHMMSS"}
    text = template if keep_case else template.lower()
    return "".join(words.get(part.lower(), part) if i % 2 else part
                   for i, part in enumerate(text.replace("}", "{").split("{")))


def _keeps(st: ast.ScheduledSnapshot) -> str:
    parts = []
    if st.keep_for is not None:
        parts.append(f"keeps {_window(st.keep_for)}")
    if st.keep_last is not None:
        parts.append(f"keeps the last {st.keep_last}")
    return (" and ".join(parts) + (" (a snapshot is dropped only when both allow it)"
                                   if len(parts) == 2 else "")) + ", never the newest"


def explain_plan(checked: CheckedPlan) -> Explanation:
    """Words for a checked plan, from the facts its check found (no second walk)."""
    own = checked.account
    steps = []
    engine = checked.target.engine
    found = targets.engine(engine)
    in_place = restores_in_place(checked.plan, engine)
    for index, st in enumerate(checked.plan.statements):
        facts = checked.facts.get(index)
        does, touches = _describe(st, own, facts, engine)
        wiped = undo = None
        if isinstance(st, ast.Restore) and facts is not None:
            wiped = destroys(st, own, engine)
            undo = _undo(st, own, facts, in_place)
        elif isinstance(st, ast.RestoreBackup):
            wiped = destroys(st, own, engine)
        steps.append(ExplainedStep(st.span.file, st.span.line, fmt.statement(st), does, touches,
                          _who(st, own, engine), wiped, undo, _rollback(checked, index)))
    return Explanation(checked.plan.file, own, steps, checked.plan.rollback is not None,
                       found.accounts, found.words().header(own))


def _rollback(checked: CheckedPlan, index: int) -> str | None:
    chosen = checked.rollbacks.get(index)
    if chosen is None:
        return None
    undo = chosen.restore
    if undo.source.at is None:
        return f"`{fmt.statement(undo)}`"
    plain = fmt.statement(replace(undo, source=replace(undo.source, at=None)))
    return f"`{plain} at` the server's time just before this step ran (journaled)"
