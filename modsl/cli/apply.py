"""`modsl apply`: review, confirm, run, journal, resume. What runs is exactly what was
reviewed: a `.mobak` plan is linted and compiled here; a `.sql` file must be one written by
`modsl compile` whose statements still match the hash in its header."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from modsl import targets
from modsl.checker.placeholders import BEFORE
from modsl.cli import brokenpipe, flags
from modsl.cli.loading import only_schedules
from modsl.cli.reviewed import confirm, from_plan, from_sql
from modsl.cli.server import add_flags as server_flags
from modsl.cli.server import refused
from modsl.runtime import live
from modsl.runtime.executor import JournalError, Locked, Outcome, Step
from modsl.runtime.session import (
    Refused,
    Reviewed,
    RunOptions,
    refuse_writing_verifies,
    resume_command,
    rollback_command,
    run_reviewed,
)

if TYPE_CHECKING:
    from modsl.runtime.account_logins import DsnFor
    from modsl.runtime.connect import Server
    from modsl.runtime.jobs import JobState

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def configure(app: argparse.ArgumentParser) -> None:
    app.add_argument("plan", metavar="PLAN", help="a .mobak plan or a .sql file from "
                     "`modsl compile`")
    server_flags(app, required=False)
    flags.yes(app)
    app.add_argument("--dry-run", action="store_true", help="print what would run; "
                     "connect to nothing")
    app.add_argument("--resume", action="store_true",
                     help="continue a plan that stopped, skipping what the journal has done")
    flags.outcome_words(
        app, done="with --resume: statement N, whose outcome was unknown, took effect",
        again="with --resume: statement N, whose outcome was unknown, did not take effect: "
              "run it again")
    app.add_argument("--statement-timeout", metavar="SECONDS", type=flags.positive,
                     default=None,
                     help="give up waiting for a statement's reply after this long (its "
                          "outcome is then unknown: the server may still finish it)")
    flags.journal(app, "where journals and locks live (default .modsl/journal; a drill's "
                       "own temporary directory with --standin)")
    app.add_argument("--standin", action="store_true",
                     help="a drill: run on an in-process stand-in seeded from the plan's "
                          "`existing` lines (no server, no --dsn)")
    app.add_argument("--seed", metavar="FILE.sql",
                     help="with --standin: SQL run first, as the plan's account (a "
                          "`-- as account NAME` line switches)")
    flags.no_checks(app, "skip the live checks (the server, the login, what the plan "
                         "declares and creates) that run before anything else")
    app.add_argument("--reverify", action="store_true",
                     help="after a rollback on failure, run the verifies before the failure "
                          "again")
    app.add_argument("--poll", metavar="SECONDS", type=flags.positive, default=None,
                     help="seconds between two reads of a running backup or restore job's "
                          "state (StarRocks; default 2, a drill 0.05)")
    flags.settings(app)


def review(reviewed: Reviewed, where: str) -> str:
    who = (f", as account `{reviewed.account}`"
           if targets.engine(reviewed.target.engine).accounts else "")
    out = [f"modsl apply: {len(reviewed.steps)} statement(s) for {reviewed.target.name}{who}, "
           f"on {where}",
           "Not atomic: each statement commits on its own; if one fails, those before it stay "
           "done.", ""]
    if any(s.rollback for s in reviewed.compiled.statements):
        out[1:2] = [out[1], "Rollback on failure: if a statement after the first restore, or a "
                    "verify, fails, the restores that ran are put back, newest first, by their "
                    "ROLLBACK statements."]
    for index, s in enumerate(reviewed.compiled.statements):
        out += [f"  {index + 1}. {s.file}:{s.line}", f"     {s.sql};"]
        if s.destroys:
            out.append(f"     DESTROYS: {s.destroys}")
        if s.rollback:
            moment = (" ({before}: the server's time just before it runs, read and journaled)"
                      if BEFORE in s.rollback else "")
            out.append(f"     ROLLBACK: {s.rollback};{moment}")
        if s.expect:
            where = "" if s.account is None else f", read in account `{s.account}`"
            out.append(f"     VERIFY: its first value must be {s.expect}{where}; reads only")
    return "\n".join(out) + "\n"


def report(outcome: Outcome, args: RunOptions, safe_dsn: str, total: int,
           password_given: bool, drill: bool = False) -> int:
    def lines(steps: list[Step]) -> str:
        return ", ".join(f"{s.file}:{s.line}" for s in steps) or "none"

    if outcome.skipped:
        print(f"skipped (done in an earlier run): {len(outcome.skipped)}")
    if outcome.failure is None and not outcome.interrupted:
        print(f"done: {len(outcome.ran)} statement(s) ran; journal: {args.journal}")
        return EXIT_OK
    err = sys.stderr
    rollable = any(s.rollback for s in [*outcome.ran, *outcome.skipped])
    if outcome.failure is not None and outcome.failure.unknown:
        f = outcome.failure
        print(f"modsl apply: statement {f.step.index + 1} of {total} at {f.step.file}:"
              f"{f.step.line} has an UNKNOWN OUTCOME: {f.message}", file=err)
        print("  it was sent, but no reply came: it may or may not have taken effect; "
              "`--resume` will say how to check and tell modsl", file=err)
    elif outcome.failure is not None:
        f = outcome.failure
        code = f"server error {f.code}" if f.code is not None else "error"
        print(f"modsl apply: statement {f.step.index + 1} of {total} failed at "
              f"{f.step.file}:{f.step.line}", file=err)
        print(f"  {code}: {f.message}", file=err)
    elif brokenpipe.closed():  # `| head`: the reader left, so the run stopped there
        last = max((s.index + 1 for s in [*outcome.ran, *outcome.skipped]), default=0)
        print("modsl apply: the output was closed (broken pipe), so the run stopped: "
              + (f"statement {last} of {total} ran, the rest did not" if last
                 else "no statement ran"), file=err)
    else:
        print("modsl apply: interrupted; stopped after the statement in flight", file=err)
    if outcome.rolled_back is not None:
        return _rolled_back(outcome, args, safe_dsn, lines, drill)
    print(f"  ran now ({len(outcome.ran)}): {lines(outcome.ran)} - these are not undone",
          file=err)
    print(f"  not run ({len(outcome.remaining)}): {lines(outcome.remaining)}", file=err)
    if drill:  # the stand-in and its journal are gone: there is nothing to resume
        print("  this was a drill: fix the cause and run the drill again", file=err)
    else:
        print(f"  to continue{' after fixing the cause' if outcome.failure else ''}:\n    "
              f"{resume_command(args, safe_dsn)}", file=err)
    if password_given and not drill:
        print("    (with the password in MODSL_PASSWORD or a --defaults-file)", file=err)
    if rollable and not drill:
        print(f"  or, to put back what it restored instead:\n    "
              f"{rollback_command(args, safe_dsn)}", file=err)
    if outcome.interrupted:
        return brokenpipe.EXIT_PIPE if brokenpipe.closed() else EXIT_INTERRUPTED
    return EXIT_FAILED


def _rolled_back(outcome: Outcome, args: RunOptions, safe_dsn: str,
                 lines: Callable[[list[Step]], str], drill: bool) -> int:
    err = sys.stderr
    back = outcome.rolled_back
    assert back is not None
    print("  rolled back (rollback on failure), newest restore first:", file=err)
    for u in back.undone:
        mark = "✓" if u.error is None else "✗"
        said = "" if u.error is None else f"  - {u.error}"
        print(f"    {mark} {u.step.file}:{u.step.line}: {u.sql};{said}", file=err)
    for v in back.reverified:
        print(f"    {'✓' if v.passed else '✗'} reverified {v.step.file}:{v.step.line}: the "
              f"first value is {v.observed!r}, expected {v.step.expect}", file=err)
    others = [s for s in outcome.ran if s.rollback is None and s.expect is None]
    print(f"  not undone (creates, drops): {lines(others)}", file=err)
    if not back.ok:
        print("  THE ROLLBACK DID NOT FINISH: some objects are still as the plan restored "
              "them; fix the cause and finish it with:", file=err)
        print(f"    {rollback_command(args, safe_dsn)}", file=err)
    elif drill:
        print("  this was a drill: the rollback put the data back; fix the cause and run the "
              "drill again", file=err)
    else:
        print("  the data the run restored is back as it was before it; the run is over: "
              "fix the cause and apply the plan again", file=err)
    return EXIT_FAILED


def run(args: argparse.Namespace) -> int:
    from modsl.runtime.connect import ConnectError, parse_dsn, with_password

    server: Server | None = None
    try:
        if args.standin and args.dsn:
            raise Refused("--standin runs the plan on a stand-in of its own: leave out --dsn")
        if args.seed and not args.standin:
            raise Refused("--seed goes with --standin")
        if args.dsn:
            server = with_password(parse_dsn(args.dsn), args.defaults_file)
        elif not (args.dry_run or args.standin):
            raise Refused("--dsn is required (mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE]), "
                          "or --standin for a drill")
        if args.plan.endswith(".sql"):
            if args.as_ or args.target:
                raise Refused("--as and --target are for .mobak plans: a compiled .sql file "
                              "runs as it was compiled and reviewed")
            loaded: Reviewed | None = from_sql(args.plan)
        else:
            loaded = from_plan(args)
        if loaded is None:
            return EXIT_FAILED
        if not loaded.steps and loaded.plan is not None:
            note = only_schedules(loaded.plan, args.plan)
            if note:
                print(f"modsl apply: {note}", file=sys.stderr)
                return EXIT_OK
        refuse_writing_verifies(loaded)  # never reviewed as "reads only", never run
        if server is not None:
            server = server.on_port(targets.engine(loaded.target.engine).default_port)
        where = (server.safe if server else "a stand-in seeded from the plan (drill)"
                 if args.standin else "(no server: dry run)")
        sys.stdout.write(review(loaded, where))
        if args.dry_run:
            print("dry run: nothing was run, no connection was made")
            return EXIT_OK
        if args.standin:
            return _drill(args, loaded)
        assert server is not None
        return _run(args, loaded, server)
    except live.Failed as exc:
        sys.stdout.write(live.render(exc.checks, args.plan))
        return EXIT_FAILED
    except (Refused, ConnectError, JournalError, Locked) as exc:
        return refused("apply", server, exc)
    except BrokenPipeError:  # the review (or the checks) cut: nothing was sent yet
        brokenpipe.silence()
        print("modsl apply: the output was closed (broken pipe) before the run: nothing was "
              "run", file=sys.stderr)
        return brokenpipe.EXIT_PIPE


def _drill(args: argparse.Namespace, loaded: Reviewed) -> int:
    """The plan on an in-process stand-in seeded from it (`modsl.runtime.drill`); its journal in a
    directory of its own, so a drill never stands for a run on a real server."""
    import tempfile

    from modsl.cli import settings
    from modsl.cli.loading import config_of
    from modsl.runtime import drill
    from modsl.runtime.connect import parse_dsn
    from modsl.time.clock import server_now

    if loaded.plan is None:
        raise Refused("--standin needs a .mobak plan: the stand-in is seeded from its "
                      "`existing` lines")
    try:
        seed = drill.read_seed(args.seed)
    except drill.SeedUnreadable as exc:
        raise Refused(str(exc)) from None
    try:
        now = (settings.parse_now(args.now) if args.now
               else server_now(config_of(args).server_timezone))
    except settings.SettingsError as exc:
        raise Refused(str(exc)) from None
    try:
        standin, dsn, account_dsn = drill.start_for(loaded.plan, loaded.target,
                                                    loaded.account, seed, args.seed or "", now)
    except drill.SeedError as exc:
        raise Refused(f"the seed failed on the stand-in: {exc}") from None
    try:
        with tempfile.TemporaryDirectory(prefix="modsl-drill-") as journal:
            if args.journal == flags.JOURNAL:
                args.journal = journal
            print(f"drill: {standin.banner().split(';')[0]}; clock {now:%Y-%m-%d %H:%M:%S}")
            code = _run(args, loaded, parse_dsn(dsn), account_dsn)
            brokenpipe.say("drill: over; the stand-in and the drill's journal are gone")
            return code
    finally:
        standin.stop()


def _run(args: argparse.Namespace, loaded: Reviewed, server: Server,
         account_dsn: DsnFor | None = None) -> int:
    """`account_dsn`: a drill's logins into other accounts (a real run: the environment)."""
    options = RunOptions(args.plan, args.journal, args.resume, args.mark_done, args.retry,
                         args.statement_timeout, args.connect_timeout, args.defaults_file,
                         live_checks=not args.no_checks, reverify=args.reverify,
                         poll=args.poll or (0.05 if args.standin else 2.0),
                         account_dsn=account_dsn)
    ran = run_reviewed(options, loaded, server, lambda count: confirm(args.yes, count),
                       on_step=_progress(loaded),
                       on_checks=lambda checks: brokenpipe.say(live.render(checks, args.plan)),
                       on_undo=_undoing, on_job=_job_state, on_verify=_verified,
                       on_stopping=_stopping)
    if ran is None:
        print("not confirmed: nothing was run", file=sys.stderr)
        return EXIT_FAILED
    outcome, _ = ran
    brokenpipe.flushed()  # the progress written before: was anyone still reading it?
    code = report(outcome, options, server.safe, len(loaded.steps),
                  password_given=bool(server.password) and not args.defaults_file,
                  drill=args.standin)
    if brokenpipe.closed() and outcome.failure is None and not outcome.interrupted:
        print(f"modsl apply: the output was closed (broken pipe), but the run went on to the "
              f"end: all {len(loaded.steps)} statement(s) ran; journal: {options.journal}",
              file=sys.stderr)
        return brokenpipe.EXIT_PIPE
    return code


def _verified(step: Step, observed: object, passed: bool) -> None:
    where = "" if step.account is None else f" in account `{step.account}`"
    print(f"  verify{where}: saw {observed!r}, must be {step.expect}: "
          + ("ok" if passed else "FAILED"), flush=True)


def _job_state(step: Step, state: JobState) -> None:
    kind = step.job.kind if step.job else "job"
    brokenpipe.say(f"  {kind} job: {state.describe()}")


def _undoing(step: Step, sql: str) -> None:
    brokenpipe.say(f"rolling back {step.file}:{step.line}: {sql};")  # never stops a rollback


def _progress(loaded: Reviewed) -> Callable[[Step], None]:
    def show(step: Step) -> None:
        # The reader gone (`| head`), the run stops before this statement: the executor
        # takes BrokenPipeError from here as `stop`, and the report says what ran.
        if brokenpipe.closed():
            raise BrokenPipeError
        try:
            print(f"running {step.index + 1}/{len(loaded.steps)} ({step.file}:{step.line})",
                  flush=True)
        except BrokenPipeError:
            brokenpipe.silence()
            raise

    return show


def _stopping(notice: str) -> None:
    """The runtime's Ctrl-C notice, on a line of its own (a progress line may be open)."""
    print(f"\n{notice}", flush=True)
