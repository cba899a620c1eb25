#!/usr/bin/env bash
# A CI gate: block a change to an IAM policy when the changed policy grants access the reviewed
# (reference) policy does not.
#
#   examples/gate.sh [REFERENCE.json CHANGED.json [IDENTITY_POLICY|RESOURCE_POLICY]]
#
# With no arguments it compares the bundled pipeline policies, and the gate blocks: the changed
# policy adds s3:DeleteObject and widens the ECR repository to repository/*.
# Exit status: 0 the change grants no new access (merge), 1 it might grant new access (block),
# 2 the gate could not run (bad policy, bad usage).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
reference=${1:-$here/identity/pipeline-reference.json}
changed=${2:-$here/identity/pipeline-changed.json}
policy_type=${3:-IDENTITY_POLICY}

# Use an installed iamproof, else build and run it from this workspace.
if [[ -n "${IAMPROOF:-}" ]]; then
    read -r -a iamproof <<<"$IAMPROOF"
elif command -v iamproof >/dev/null 2>&1; then
    iamproof=(iamproof)
else
    iamproof=(cargo run --quiet --release --manifest-path "$here/../Cargo.toml" -p iamproof-cli --)
fi

"${iamproof[@]}" check-no-new-access \
    --existing-policy-document "file://$reference" \
    --new-policy-document "file://$changed" \
    --policy-type "$policy_type"
status=$?

case $status in
    0) echo "gate: PASS, no new access; the change may be merged" ;;
    1) echo "gate: FAIL, the changed policy might grant new access; a security review is needed" >&2 ;;
    *) echo "gate: ERROR (exit $status), the gate could not run" >&2 ;;
esac
exit "$status"
