#!/usr/bin/env bash
# The install steps the docs give, run exactly as written on a fresh virtualenv and a fresh git
# repository: README's "Run it" command, the git-URL install lines of README and docs/ci.md's
# GitHub Actions step, and docs/ci.md's pre-commit configuration (the repository URL and the
# commit placeholder pointed at this checkout, the only changes).
# Needs network access to PyPI only (pre-commit and modsl's dependencies). Run by .ci/run.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. README's "Run it": the first command block under that heading, as written, in the repo.
run_it=$(awk '/^## Run it/{f=1} f&&/^```$/{n++; next} f&&n==1{print; exit}' "$repo/README.md")
echo "check-install: README's run command: $run_it" >&2
python3 -m venv "$work/run" && (. "$work/run/bin/activate" && cd "$repo" && bash -c "$run_it") \
    | grep -q "RESTORE ACCOUNT" || { echo "check-install: README's command failed" >&2; exit 1; }

# 2. The git-URL install lines, as written in README's Install block and in docs/ci.md's GitHub
# Actions step, with only the repository URL and the `<commit-id>` placeholder swapped for this
# checkout's path and HEAD. Each runs in a fresh virtualenv (pip upgraded, as README says).
head=$(git -C "$repo" rev-parse HEAD)
# The lines holding `git+` in the first code block under a heading.
in_block() { awk -v h="$1" '$0==h{f=1} f&&/^```/{n++; if(n==2) exit; next} f&&n==1&&/git\+/' "$2"; }
readme_line=$(in_block "## Install" "$repo/README.md")
ci_line=$(in_block "## GitHub Actions: annotations on the right lines" "$repo/docs/ci.md" \
    | sed 's/^ *- run: //')
n=0
for line in "$readme_line" "$ci_line"; do
    n=$((n + 1))
    [ "$(printf '%s\n' "$line" | wc -l)" = 1 ] && [ -n "$line" ] \
        || { echo "check-install: expected one git-URL install line, got: $line" >&2; exit 1; }
    ours=$(printf '%s' "$line" \
        | sed "s|https://github.com/YOUR-ORG/modsl|file://$repo|; s|<commit-id>|$head|")
    case "$ours" in
        *YOUR-ORG*|*"<"*) echo "check-install: a placeholder left in: $ours" >&2; exit 1 ;;
        *"git+file://$repo@$head"*) ;;
        *) echo "check-install: not the URL@<commit-id> form: $line" >&2; exit 1 ;;
    esac
    echo "check-install: the docs' git-URL install: $ours" >&2
    python3 -m venv "$work/url$n" && "$work/url$n/bin/python" -m pip install -q --upgrade pip
    (. "$work/url$n/bin/activate" && cd "$work" && bash -c "$ours") >/dev/null \
        || { echo "check-install: the docs' git-URL install failed: $line" >&2; exit 1; }
    "$work/url$n/bin/modsl" lint "$repo/examples/restore-drill.mobak" >/dev/null
done

# 3. docs/ci.md's pre-commit block in a fresh repository holding one plan that needs fmt.
python3 -m venv "$work/pc" && "$work/pc/bin/pip" install -q pre-commit
mkdir "$work/plans" && cd "$work/plans" && git init -q
awk '/^# \.pre-commit-config\.yaml/{f=1} f&&/^```$/{exit} f' "$repo/docs/ci.md" \
    | sed "s|https://github.com/YOUR-ORG/modsl|$repo|; s|rev: [0-9a-f]\{40\}|rev: $head|" \
    > .pre-commit-config.yaml
grep -q "rev: $head" .pre-commit-config.yaml || { echo "check-install: no rev line" >&2; exit 1; }
printf 'as account acc1\nsnapshot   s for account\n' > plan.mobak
git add -A && git -c user.name=ci -c user.email=ci@localhost commit -qm plan
# modsl-fmt rewrites the file, so the first run fails (as pre-commit does), the second passes.
if "$work/pc/bin/pre-commit" run --all-files >"$work/first.log" 2>&1; then
    echo "check-install: pre-commit passed a plan that needed fmt" >&2; exit 1
fi
grep -q "modsl fmt" "$work/first.log"
"$work/pc/bin/pre-commit" run --all-files >/dev/null
grep -q "^snapshot s for account$" plan.mobak
echo "check-install: README's command, the git URL install and pre-commit work as written" >&2
