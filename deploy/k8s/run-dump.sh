#!/usr/bin/env bash
# Runs a whole dump on Kubernetes: the run stage, the four dedup stages and
# finalize, one Indexed Job each. Kubernetes has no job dependencies, so
# this script applies a stage, waits for it to complete and only then
# applies the next; it stops at the first failed stage.
#
#   IMAGE=registry.example.org/sieve:v1 RUN_TASKS=1000 deploy/k8s/run-dump.sh [--from STAGE] [--dry-run]
#
# Settings (environment): IMAGE (required), RUN_TASKS (1000),
# SIGNATURE_TASKS (200), BUCKET_TASKS (16), FILTER_TASKS (200),
# STAGE_TIMEOUT (48h), KUBECTL ("kubectl"; add -n NAMESPACE there).
# --dry-run prints the manifests instead of applying them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${IMAGE:?set IMAGE to the sieve container image}"
RUN_TASKS=${RUN_TASKS:-1000}
SIGNATURE_TASKS=${SIGNATURE_TASKS:-200}
BUCKET_TASKS=${BUCKET_TASKS:-16}
FILTER_TASKS=${FILTER_TASKS:-200}
STAGE_TIMEOUT=${STAGE_TIMEOUT:-48h}
read -r -a kubectl <<<"${KUBECTL:-kubectl}"

from=run dry=0
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from=${2:?--from needs a stage}; shift ;;
    --dry-run) dry=1 ;;
    *) echo "run-dump: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
stages=(run dedup-signatures dedup-buckets dedup-clusters dedup-filter finalize)
case " ${stages[*]} " in *" $from "*) ;; *) echo "run-dump: unknown stage $from (one of: ${stages[*]})" >&2; exit 2 ;; esac

render() { # stage → manifest on stdout
  sed -e "s|__IMAGE__|$IMAGE|g" -e "s|__RUN_TASKS__|$RUN_TASKS|g" \
    -e "s|__SIGNATURE_TASKS__|$SIGNATURE_TASKS|g" -e "s|__BUCKET_TASKS__|$BUCKET_TASKS|g" \
    -e "s|__FILTER_TASKS__|$FILTER_TASKS|g" "$here/$1-job.yaml"
}

if [ "$dry" = 1 ]; then
  cat "$here/config.yaml"
else
  "${kubectl[@]}" apply -f "$here/config.yaml"
fi
started=0
for stage in "${stages[@]}"; do
  [ "$stage" = "$from" ] && started=1
  [ "$started" = 1 ] || continue
  if [ "$dry" = 1 ]; then
    echo "---"
    render "$stage"
    continue
  fi
  # A Job's spec cannot be changed in place: drop an old one of the same name.
  "${kubectl[@]}" delete job "sieve-$stage" --ignore-not-found --wait=true
  render "$stage" | "${kubectl[@]}" apply -f -
  echo "run-dump: waiting for sieve-$stage" >&2
  # Wait for either condition; whichever comes first decides.
  "${kubectl[@]}" wait --for=condition=complete "job/sieve-$stage" --timeout="$STAGE_TIMEOUT" &
  ok=$!
  "${kubectl[@]}" wait --for=condition=failed "job/sieve-$stage" --timeout="$STAGE_TIMEOUT" &
  bad=$!
  wait -n "$ok" "$bad" || true
  if "${kubectl[@]}" get "job/sieve-$stage" -o jsonpath='{.status.conditions[?(@.type=="Complete")].status}' | grep -q True; then
    kill "$bad" 2>/dev/null || true
    echo "run-dump: sieve-$stage complete" >&2
  else
    kill "$ok" 2>/dev/null || true
    echo "run-dump: sieve-$stage did not complete; see kubectl logs -l sieve/stage=$stage. Fix it, then rerun with --from $stage" >&2
    exit 1
  fi
done
