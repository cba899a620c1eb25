#!/usr/bin/env bash
# The pre-commit hooks of iamproof (.pre-commit-hooks.yaml): runs iamproof on each file
# pre-commit passes, since iamproof takes one --template-path per run.
#
#   pre-commit-hook.sh validate      [--option=value ...] FILE...
#   pre-commit-hook.sh no-new-access [--option=value ...] FILE...
#
# `validate` runs `iamproof validate --template-path FILE`; `no-new-access` runs
# `iamproof check-no-new-access --template-path FILE --base-ref HEAD` (the staged template
# against the last commit). Arguments starting with `-` (a hook's `args:`, written
# `--option=value` as one argument) are given to every run; the others are the files.
#
# iamproof is `$IAMPROOF` when set, else `iamproof` on PATH, else built once from the source of
# the repository this script is in (the hook repository pre-commit cloned) with
# `cargo install --locked`, into its target/pre-commit directory.
#
# Exit status: the worst of the runs — 0 no blocking finding, 1 blocking findings, 2 a file
# could not be checked (any other status of iamproof counts as 2).
set -uo pipefail

command_name=${1:-}
shift
case $command_name in
    validate) subcommand=(validate) ;;
    no-new-access) subcommand=(check-no-new-access) ;;
    *)
        echo "usage: pre-commit-hook.sh validate|no-new-access [--option=value ...] FILE..." >&2
        exit 2
        ;;
esac

options=()
files=()
for arg in "$@"; do
    if [[ $arg == -* ]]; then options+=("$arg"); else files+=("$arg"); fi
done

find_iamproof() {
    if [[ -n ${IAMPROOF:-} ]]; then
        echo "$IAMPROOF"
        return
    fi
    if command -v iamproof >/dev/null 2>&1; then
        command -v iamproof
        return
    fi
    local repo
    repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || return 1
    local root=$repo/target/pre-commit
    if [[ ! -x $root/bin/iamproof ]]; then
        if [[ ! -f $repo/crates/cli/Cargo.toml ]] || ! command -v cargo >/dev/null 2>&1; then
            echo "iamproof: not found: install it (cargo install --locked --path crates/cli in a clone of iamproof) or set IAMPROOF" >&2
            return 1
        fi
        echo "iamproof: building iamproof from the hook's source, once (a few minutes)" >&2
        cargo install --locked --quiet --path "$repo/crates/cli" --root "$root" >&2 || return 1
    fi
    echo "$root/bin/iamproof"
}

iamproof=$(find_iamproof) || exit 2

worst=0
# `${a[@]+"${a[@]}"}`: an empty array under `set -u` in bash 3.2 (macOS) too.
for file in ${files[@]+"${files[@]}"}; do
    args=("${subcommand[@]}" --template-path "$file")
    if [[ $command_name == no-new-access ]]; then args+=(--base-ref HEAD); fi
    "$iamproof" "${args[@]}" ${options[@]+"${options[@]}"}
    status=$?
    case $status in
        0 | 1 | 2) ;;
        *) status=2 ;;
    esac
    if ((status > worst)); then worst=$status; fi
done
exit "$worst"
