#!/usr/bin/env bash
# The run step of the iamproof GitHub Action (action.yml): builds the iamproof command line from
# the Action's inputs, runs it, writes the report file, sets the `result` output (the JSON
# report) and fails the step when iamproof finds blocking findings or cannot run.
#
# The inputs arrive as environment variables INPUT_<NAME> (the input's name in upper case, `-`
# as `_`), set by action.yml's `env:`; they are never pasted into this script's text, so no
# input value can become shell code. Empty means "not given".
#
# Exit status: iamproof's own — 0 no blocking finding, 1 blocking findings, 2 could not run
# (any other status of iamproof, a crash say, is reported as 2). Bad inputs exit 2.
#
# iamproof runs once with `--output json` for the `result` output; when the report file is to
# be SARIF or text, it runs a second time to write that file (the analysis is offline and the
# same both times).
set -uo pipefail

fail() {
    echo "::error title=iamproof::$*" >&2
    exit 2
}

check_type=${INPUT_POLICY_CHECK_TYPE:-}
template_path=${INPUT_TEMPLATE_PATH:-}
output_format=${INPUT_OUTPUT_FORMAT:-sarif}
output_file=${INPUT_OUTPUT_FILE:-iamproof.sarif}

[[ -n $template_path ]] || fail "the input template-path is required"
case $output_format in
    json | sarif | text) ;;
    *) fail "output-format must be json, sarif or text, not '$output_format'" ;;
esac

# Inputs that belong to one policy-check-type only: giving one to another type is a mistake
# (the check would silently not be the one intended).
only_for() {
    local wanted=$1 name=$2 value=$3
    if [[ -n $value && $check_type != "$wanted" ]]; then
        fail "the input $name is for policy-check-type $wanted, not $check_type"
    fi
}
only_for CHECK_NO_NEW_ACCESS base-ref "${INPUT_BASE_REF:-}"
only_for CHECK_NO_NEW_ACCESS base-template-path "${INPUT_BASE_TEMPLATE_PATH:-}"
only_for CHECK_NO_NEW_ACCESS reference-policy "${INPUT_REFERENCE_POLICY:-}"
only_for CHECK_NO_NEW_ACCESS reference-policy-type "${INPUT_REFERENCE_POLICY_TYPE:-}"
only_for CHECK_ACCESS_NOT_GRANTED actions "${INPUT_ACTIONS:-}"
only_for CHECK_ACCESS_NOT_GRANTED resources "${INPUT_RESOURCES:-}"
only_for VALIDATE_POLICY allow-external-principals "${INPUT_ALLOW_EXTERNAL_PRINCIPALS:-}"

args=()
case $check_type in
    VALIDATE_POLICY)
        args+=(validate --template-path "$template_path")
        if [[ -n ${INPUT_ALLOW_EXTERNAL_PRINCIPALS:-} ]]; then
            args+=(--allow-external-principals "$INPUT_ALLOW_EXTERNAL_PRINCIPALS")
        fi
        ;;
    CHECK_NO_NEW_ACCESS)
        args+=(check-no-new-access --template-path "$template_path")
        given=0
        if [[ -n ${INPUT_REFERENCE_POLICY:-} ]]; then
            [[ -n ${INPUT_REFERENCE_POLICY_TYPE:-} ]] ||
                fail "reference-policy needs reference-policy-type (identity or resource)"
            args+=(--reference-policy "$INPUT_REFERENCE_POLICY"
                --reference-policy-type "$INPUT_REFERENCE_POLICY_TYPE")
            given=$((given + 1))
        elif [[ -n ${INPUT_REFERENCE_POLICY_TYPE:-} ]]; then
            fail "reference-policy-type is given without reference-policy"
        fi
        if [[ -n ${INPUT_BASE_TEMPLATE_PATH:-} ]]; then
            args+=(--base-template-path "$INPUT_BASE_TEMPLATE_PATH")
            given=$((given + 1))
        fi
        if [[ -n ${INPUT_BASE_REF:-} ]]; then
            args+=(--base-ref "$INPUT_BASE_REF")
            given=$((given + 1))
        fi
        ((given == 1)) ||
            fail "CHECK_NO_NEW_ACCESS compares with exactly one of: base-ref, base-template-path, reference-policy"
        ;;
    CHECK_ACCESS_NOT_GRANTED)
        # Without actions and resources, the configuration file's [access-not-granted] applies.
        args+=(check-access-not-granted --template-path "$template_path")
        if [[ -n ${INPUT_ACTIONS:-} ]]; then args+=(--actions "$INPUT_ACTIONS"); fi
        if [[ -n ${INPUT_RESOURCES:-} ]]; then args+=(--resources "$INPUT_RESOURCES"); fi
        ;;
    CHECK_NO_PUBLIC_ACCESS)
        args+=(check-no-public-access --template-path "$template_path")
        ;;
    "") fail "the input policy-check-type is required" ;;
    *)
        fail "policy-check-type must be VALIDATE_POLICY, CHECK_NO_NEW_ACCESS, CHECK_ACCESS_NOT_GRANTED or CHECK_NO_PUBLIC_ACCESS, not '$check_type'"
        ;;
esac

# The options every command takes.
if [[ -n ${INPUT_REGION:-} ]]; then args+=(--region "$INPUT_REGION"); fi
if [[ -n ${INPUT_ACCOUNT_ID:-} ]]; then args+=(--account-id "$INPUT_ACCOUNT_ID"); fi
if [[ -n ${INPUT_PARAMETERS:-} ]]; then
    # KEY=VALUE pairs separated by spaces or newlines (no pathname expansion: read -a).
    read -r -d '' -a parameters <<<"$INPUT_PARAMETERS"
    if ((${#parameters[@]} > 0)); then args+=(--parameters "${parameters[@]}"); fi
fi
if [[ -n ${INPUT_IGNORE_FINDING:-} ]]; then args+=(--ignore-finding "$INPUT_IGNORE_FINDING"); fi
if [[ -n ${INPUT_TREAT_FINDING_TYPE_AS_BLOCKING:-} ]]; then
    args+=(--treat-finding-type-as-blocking "$INPUT_TREAT_FINDING_TYPE_AS_BLOCKING")
fi
if [[ -n ${INPUT_CONFIG:-} ]]; then args+=(--config "$INPUT_CONFIG"); fi

json=$(mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/iamproof-report.XXXXXX") || fail "cannot create a temporary file"
trap 'rm -f "$json"' EXIT

echo "iamproof ${args[*]}"
iamproof "${args[@]}" --output json >"$json"
status=$?
cat "$json"

# The `result` output: the JSON report, between a delimiter that cannot occur in it.
delimiter="IAMPROOF_RESULT_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
if [[ -n ${GITHUB_OUTPUT:-} ]]; then
    {
        echo "result<<$delimiter"
        printf '%s\n' "$(cat "$json")"
        echo "$delimiter"
    } >>"$GITHUB_OUTPUT"
fi

case $status in
    0 | 1) ;;
    2) fail "iamproof could not run (exit status 2); see the messages above" ;;
    *) fail "iamproof ended with status $status; see the messages above" ;;
esac

# The report file, for the code-scanning upload or as an artifact.
mkdir -p "$(dirname "$output_file")" || fail "cannot create the directory of $output_file"
if [[ $output_format == json ]]; then
    cp "$json" "$output_file" || fail "cannot write $output_file"
else
    iamproof "${args[@]}" --output "$output_format" --output-file "$output_file" --quiet
    second=$?
    if ((second != status)); then
        fail "iamproof ended with status $second writing $output_file, $status the first time"
    fi
fi
echo "iamproof: report written to $output_file"

if ((status == 1)); then
    echo "::error title=iamproof::blocking findings (exit status 1); see the report above and $output_file" >&2
    exit 1
fi
exit 0
