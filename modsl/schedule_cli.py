"""`modsl schedule list|export PLAN`: a plan's schedules as their next firings (and, with a
server, the snapshots each owns and what the next firing would drop), and as entries for cron,
systemd or Kubernetes that call `modsl run` at those times, with the DSN from the
environment, never inline."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from modsl import ast, cadence, firing
from modsl.explainer import schedule_words
from modsl.loading import checked_or_refuse
from modsl.rules import CheckedPlan

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_DAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


def run(args: argparse.Namespace) -> int:
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
        sys.stdout.write(render(schedules, plan, args))
        return EXIT_OK
    return _list(checked, schedules, args)


def _run_args(plan: str, name: str, dsn: str) -> list[str]:
    return ["modsl", "run", plan, "--schedule", name, "--dsn", dsn]


def crontab(schedules: list[tuple[ast.Schedule, cadence.Cadence]], plan: str,
            args: argparse.Namespace) -> str:
    out = [f"# modsl schedules of {plan}; the DSN comes from ${args.dsn_env} in cron's "
           "environment"]
    for st, cad in schedules:
        command = " ".join(shlex.quote(a) for a in _run_args(plan, st.name.key, "")[:-1])
        out += ["", f"# {st.name.key}: {schedule_words(st)}", f"CRON_TZ={cad.zone}",
                f'{cad.cron} {command} "${args.dsn_env}"']
    return "\n".join(out) + "\n"


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


def systemd(schedules: list[tuple[ast.Schedule, cadence.Cadence]], plan: str,
            args: argparse.Namespace) -> str:
    out = []
    for st, cad in schedules:
        unit = f"modsl-{st.name.key}"
        command = " ".join(shlex.quote(a) for a in _run_args(plan, st.name.key, "")[:-1])
        out += [f"# file: {unit}.timer", "[Unit]",
                f"Description=modsl schedule {st.name.key}: {schedule_words(st)}", "",
                "[Timer]", *(f"OnCalendar={c}" for c in on_calendar(cad)), "Persistent=true",
                "", "[Install]", "WantedBy=timers.target", "",
                f"# file: {unit}.service", "[Unit]",
                f"Description=modsl run {st.name.key} ({plan})", "", "[Service]",
                "Type=oneshot",
                f"# {args.dsn_env}=mysql://... in this file, readable by root only",
                "EnvironmentFile=/etc/modsl/env",
                f"ExecStart=/usr/bin/env {command} ${{{args.dsn_env}}}", ""]
    return "\n".join(out)


def kubernetes(schedules: list[tuple[ast.Schedule, cadence.Cadence]], plan: str,
               args: argparse.Namespace) -> str:
    docs = []
    name = Path(plan).name
    for st, cad in schedules:
        command = ", ".join(f'"{a}"' for a in _run_args(f"/plans/{name}", st.name.key,
                                                        f"$({args.dsn_env})")[1:])
        docs.append(f"""\
# modsl schedule {st.name.key}: {schedule_words(st)}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: modsl-{st.name.key.replace("_", "-")}
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
          containers:
            - name: modsl
              image: {args.image}
              command: ["modsl"]
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
""")
    return "---\n".join(docs)


def _list(checked: CheckedPlan, schedules: list[tuple[ast.Schedule, cadence.Cadence]],
          args: argparse.Namespace) -> int:
    from modsl.run_cli import now_in

    objects = server_now = None
    if args.dsn:
        from modsl import targets
        from modsl.live_cli import _on_server
        from modsl.run_cli import _server_now

        engine = targets.engine(checked.target.engine)
        ran = _on_server(args, "schedule", engine.name,
                         lambda c: (engine.live_objects(c), _server_now(c)))
        if ran is None:
            return EXIT_USAGE
        (objects, server_now), _ = ran
    for st, cad in schedules:
        now = now_in(cad.zone, args.now)
        upcoming = cad.next(now, max(args.count, 1))
        print(f"{st.name.key}: {schedule_words(st)}")
        print("  next: " + ", ".join(f"{f:%Y-%m-%d %H:%M %Z}" for f in upcoming))
        due = firing.firing_at(checked, st, upcoming[0])
        for take in due.takes:
            print(f"  line {take.statement.span.line}: takes `{take.name}`")
            if objects is None or server_now is None:
                continue
            mine = firing.owned(take.statement, checked.account, objects)
            print(f"    owns {len(mine)}: " + (", ".join(o.name for o in mine) or "none"))
            later = server_now + (upcoming[0] - now)  # the server's clock at that firing
            drop = firing.to_drop(take.statement, checked.account, objects, later,
                                  taking=take.name not in {o.name for o in objects})
            print("    the next firing drops: " + (", ".join(o.name for o in drop) or "none"))
    return EXIT_OK

