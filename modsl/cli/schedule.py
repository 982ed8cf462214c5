"""`modsl schedule list|export PLAN`: a plan's schedules as their next firings (and, with a
server, the snapshots each owns and what the next firing would drop), and as entries for cron,
systemd or Kubernetes that call `modsl run` at those times. No DSN is ever on a command line
they write (every user of a host can read those): `modsl run` reads it from the environment
or a file."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from modsl._version import __version__
from modsl.checker import CheckedPlan
from modsl.cli import flags, server
from modsl.cli.loading import checked_or_refuse, wall_time
from modsl.environ import DSN as DSN_ENV
from modsl.explainer import schedule_words
from modsl.language import ast
from modsl.runtime import firing
from modsl.time import cadence

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_DAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


def configure(sched: argparse.ArgumentParser) -> None:
    sched_sub = sched.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sched_sub.add_parser("list", help="next firings, and with --dsn what each owns")
    listing.add_argument("plan", metavar="PLAN")
    server.add_flags(listing, required=False, from_env=False)
    listing.add_argument("--count", type=int, default=3, help="firings to show (default 3)")
    flags.settings(listing)
    export = sched_sub.add_parser("export", help="entries that call `modsl run` on time")
    export.add_argument("plan", metavar="PLAN")
    export.add_argument("--format", choices=("crontab", "systemd", "kubernetes"),
                        required=True)
    server.dsn_env(export)
    export.add_argument("--dsn-file", metavar="FILE",
                        help="the DSN from this file on the host instead (one line)")
    export.add_argument("--image",
                        help="kubernetes: the container image with modsl (default "
                             "modsl:VERSION, this modsl's version: see Dockerfile)")
    export.add_argument("--modsl", metavar="PATH",
                        help="crontab, systemd: the modsl command the units run (default: "
                             "this one's absolute path)")
    export.add_argument("-o", "--output", metavar="DIR",
                        help="write one file per unit into DIR instead of one stream")
    export.add_argument("--report-dir", metavar="DIR",
                        help="each unit's run writes JUnit XML into DIR (PLAN-SCHEDULE.xml)")
    export.add_argument("--metrics-dir", metavar="DIR",
                        help="each unit's run writes Prometheus metrics into DIR "
                             "(PLAN-SCHEDULE.prom, for the textfile collector)")
    flags.settings(export)


def run(args: argparse.Namespace) -> int:
    if args.action == "export" and args.format == "kubernetes" and args.dsn_file:
        # The pod has no such file (nothing mounts it): its run would fail on every firing.
        print("modsl schedule: --dsn-file does not apply to --format kubernetes: the CronJob "
              "reads the DSN from the secret `modsl` (key `dsn`) as an environment variable "
              f"({args.dsn_env}); create that secret instead", file=sys.stderr)
        return EXIT_USAGE
    loaded = checked_or_refuse(args)
    if loaded is None:
        return EXIT_FAILED
    checked = loaded.checked
    schedules = [(st, cadence.of(st)) for st in checked.plan.statements
                 if isinstance(st, ast.Schedule)]
    if not schedules:
        print(f"modsl schedule: {args.plan} has no `schedule` lines", file=sys.stderr)
        return EXIT_USAGE
    if args.action == "export":
        plan = str(Path(args.plan).resolve())
        render = {"crontab": crontab, "systemd": systemd, "kubernetes": kubernetes}[args.format]
        if args.format == "kubernetes":
            args.modsl = "modsl"  # the image's entrypoint, on its PATH
            if args.image is None:
                args.image = default_image()
        elif args.modsl is None:
            args.modsl = installed_modsl()
        files = render(schedules, plan, args)
        if args.output:
            try:
                write_files(files, args.output)
            except OSError as exc:
                print(f"modsl schedule: {args.output}: {exc.strerror or exc}", file=sys.stderr)
                return EXIT_USAGE
        else:
            sys.stdout.write(_stream(files, args.format))
        return EXIT_OK
    return _list(checked, schedules, args)


def default_image() -> str:
    """The image `--image` names when not given: the tag the docs' `docker build -t` gives
    (README, Dockerfile), this modsl's version, so the CronJob runs the modsl that wrote it."""
    return f"modsl:{__version__}"


def installed_modsl() -> str:
    """The absolute path of the `modsl` running now (a systemd unit needs one; cron's PATH
    is short), else plain `modsl`."""
    import os
    import shutil

    here = shutil.which("modsl", path=os.path.dirname(sys.executable))
    return os.path.abspath(here) if here else "modsl"


def _run_args(plan: str, name: str, args: argparse.Namespace, *extra: str) -> list[str]:
    """`modsl run` for one schedule, with no DSN on it: a command line is visible to every
    user of the host (`ps`), so the DSN comes from the environment or a file."""
    command = [args.modsl, "run", plan, "--schedule", name, *extra]
    stem = f"{Path(plan).stem}-{name}"
    if getattr(args, "report_dir", None):  # restore tests where CI and dashboards look
        command += ["--report", str(Path(args.report_dir) / f"{stem}.xml")]
    if getattr(args, "metrics_dir", None):
        command += ["--metrics", str(Path(args.metrics_dir) / f"{stem}.prom")]
    if args.dsn_file:
        command += ["--dsn-file", args.dsn_file]
    elif args.dsn_env != DSN_ENV:
        command += ["--dsn-env", args.dsn_env]
    return command


def _where_dsn(args: argparse.Namespace) -> str:
    return (f"the file {args.dsn_file} (one line, readable by the job's user only)"
            if args.dsn_file else f"${args.dsn_env}")


def crontab(schedules: list[tuple[ast.Schedule, cadence.Cadence]], plan: str,
            args: argparse.Namespace) -> dict[str, str]:
    out = [f"# modsl schedules of {plan}; the DSN comes from {_where_dsn(args)}"]
    if not args.dsn_file:
        out.append(f"# set {args.dsn_env} above these lines (a crontab is private to its "
                   "user), or export with --dsn-file")
    for st, cad in schedules:
        command = " ".join(shlex.quote(a) for a in _run_args(plan, st.name.key, args))
        out += ["", f"# {st.name.key}: {schedule_words(st)}", f"CRON_TZ={cad.zone}",
                f"{cad.cron} {command}"]
    return {"modsl.crontab": "\n".join(out) + "\n"}


def on_calendar(cad: cadence.Cadence) -> list[str]:
    """systemd `OnCalendar=` values for a cadence (two when cron's day-of-month-or-week
    applies: systemd's fields must all match, so each half is its own line)."""
    def numbers(values: frozenset[int], full: range, width: int = 2) -> str:
        if set(values) == set(full):
            return "*"
        return ",".join(f"{v:0{width}d}" for v in sorted(values))

    clock = f"{numbers(cad.hours, range(24))}:{numbers(cad.minutes, range(60))}:00"
    months = numbers(cad.months, range(1, 13))
    days = numbers(cad.days, range(1, 32))
    weekdays = ",".join(_DAY_NAMES[d] for d in sorted(cad.weekdays))
    by_month = f"*-{months}-{days} {clock} {cad.zone}"
    by_week = f"{weekdays} *-{months}-* {clock} {cad.zone}"
    if cad.any_weekday:
        return [by_month]
    if cad.any_day:
        return [by_week]
    return [by_month, by_week]


STATE = "/var/lib/modsl"
"""Where systemd keeps the journal: `StateDirectory=modsl` makes it, owned by the unit."""


def systemd(schedules: list[tuple[ast.Schedule, cadence.Cadence]], plan: str,
            args: argparse.Namespace) -> dict[str, str]:
    files = {}
    for st, cad in schedules:
        unit = f"modsl-{st.name.key}"
        command = " ".join(shlex.quote(a) for a in _run_args(
            plan, st.name.key, args, "--journal", f"{STATE}/journal"))
        files[f"{unit}.timer"] = "\n".join([
            "[Unit]", f"Description=modsl schedule {st.name.key}: {schedule_words(st)}", "",
            "[Timer]", *(f"OnCalendar={c}" for c in on_calendar(cad)), "Persistent=true", "",
            "[Install]", "WantedBy=timers.target", ""])
        environment = ([] if args.dsn_file else
                       [f"# {args.dsn_env}=mysql://... in this file, readable by root only",
                        "EnvironmentFile=/etc/modsl/env"])
        files[f"{unit}.service"] = "\n".join([
            "[Unit]", f"Description=modsl run {st.name.key} ({plan})", "", "[Service]",
            "Type=oneshot", "StateDirectory=modsl", f"WorkingDirectory={STATE}",
            *environment, f"ExecStart={command}", ""])
    return files


def kubernetes(schedules: list[tuple[ast.Schedule, cadence.Cadence]], plan: str,
               args: argparse.Namespace) -> dict[str, str]:
    files = {}
    name = Path(plan).name
    for st, cad in schedules:
        argv = _run_args(f"/plans/{name}", st.name.key, args)
        command = ", ".join(f'"{a}"' for a in argv[1:])
        job = f"modsl-{st.name.key.replace('_', '-')}"
        files[f"{job}.yaml"] = f"""\
# modsl schedule {st.name.key}: {schedule_words(st)}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {job}
spec:
  schedule: "{cad.cron}"
  timeZone: "{cad.zone}"
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 3600
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            fsGroup: 10001
          containers:
            - name: modsl
              image: {args.image}
              command: ["{argv[0]}"]
              args: [{command}]
              env:
                - name: {args.dsn_env}
                  valueFrom:
                    secretKeyRef:
                      name: modsl
                      key: dsn
              volumeMounts:
                - name: plans
                  mountPath: /plans
                - name: journal
                  mountPath: /work/.modsl
              workingDir: /work
          volumes:
            - name: plans
              configMap:
                name: modsl-plans
            - name: journal
              persistentVolumeClaim:
                claimName: modsl-journal
"""
    return files


def write_files(files: dict[str, str], directory: str) -> None:
    """Each unit in a file of its own under `directory` (made if missing)."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8")
        print(f"wrote {target / name}")


def _stream(files: dict[str, str], fmt: str) -> str:
    """Every file as one stream: YAML documents, or `# file: NAME` sections."""
    if fmt == "kubernetes":
        return "---\n".join(files.values())
    if fmt == "crontab":
        return "".join(files.values())
    return "\n".join(f"# file: {name}\n{text}" for name, text in files.items())


def _list(checked: CheckedPlan, schedules: list[tuple[ast.Schedule, cadence.Cadence]],
          args: argparse.Namespace) -> int:
    pinned = wall_time(args.now)
    objects = server_now = None
    if args.dsn:
        from modsl import targets
        from modsl.runtime import live

        engine = targets.engine(checked.target.engine)
        ran = server.on_server(server.Login.of(args), "schedule", engine.name,
                               lambda c: (engine.live_objects(c), live.server_time(c)))
        if ran is None:
            return EXIT_USAGE
        (objects, server_now), _ = ran
    for st, cad in schedules:
        now = firing.moment(cad.zone, pinned)
        upcoming = cad.next(now, max(args.count, 1))
        print(f"{st.name.key}: {schedule_words(st)}")
        print("  next: " + ", ".join(f"{f:%Y-%m-%d %H:%M %Z}" for f in upcoming))
        due = firing.firing_at(checked, st, upcoming[0])
        for take in due.takes:
            print(f"  line {take.statement.span.line}: takes `{take.name}`")
            if objects is None or server_now is None or isinstance(take.statement, ast.Backup):
                continue  # a StarRocks backup: its retention is the bucket's (MB225)
            mine = firing.owned(take.statement, checked.account, objects)
            print(f"    owns {len(mine)}: " + (", ".join(o.name for o in mine) or "none"))
            later = server_now + (upcoming[0] - now)  # the server's clock at that firing
            drop = firing.to_drop(take.statement, checked.account, objects, later,
                                  taking=take.name not in {o.name for o in objects})
            print("    the next firing drops: " + (", ".join(o.name for o in drop) or "none"))
    return EXIT_OK

