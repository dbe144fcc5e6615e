#!/usr/bin/env bash
# Submits a whole dump: the run array, the four dedup stages and finalize,
# each waiting for the previous one to succeed entirely (afterok on an
# array job id waits for every task of the array).
#
#   deploy/slurm/submit-dump.sh [--from STAGE] [extra sbatch flags...]
#
# STAGE is run (default), signatures, buckets, clusters, filter or
# finalize: start the chain there, e.g. after fixing a failed stage.
set -euo pipefail
SIEVE_DEPLOY_DIR=$(cd "$(dirname "$0")" && pwd)
export SIEVE_DEPLOY_DIR
# shellcheck source=common.sh
source "$SIEVE_DEPLOY_DIR/common.sh"

from=run
if [ "${1:-}" = --from ]; then from=${2:?--from needs a stage}; shift 2; fi
case "$from" in run|signatures|buckets|clusters|filter|finalize) ;; *)
  echo "submit-dump: unknown stage $from" >&2; exit 2 ;;
esac
mkdir -p logs
par=${MAX_PARALLEL:-400}
dep=()
started=0
for spec in \
  "run 0-$((RUN_TASKS - 1))%$par run.sbatch" \
  "signatures 0-$((SIGNATURE_TASKS - 1))%$par dedup-signatures.sbatch" \
  "buckets 0-$((BUCKET_TASKS - 1)) dedup-buckets.sbatch" \
  "clusters - dedup-clusters.sbatch" \
  "filter 0-$((FILTER_TASKS - 1))%$par dedup-filter.sbatch" \
  "finalize - finalize.sbatch"; do
  read -r stage array script <<<"$spec"
  [ "$stage" = "$from" ] && started=1
  [ "$started" = 1 ] || continue
  args=(--parsable)
  [ "$array" != - ] && args+=(--array="$array")
  id=$(sbatch "${args[@]}" ${dep[@]+"${dep[@]}"} "$@" "$SIEVE_DEPLOY_DIR/$script")
  id=${id%%;*} # --parsable prints "jobid[;cluster]"
  echo "$stage: job $id"
  dep=(--dependency="afterok:$id" --kill-on-invalid-dep=yes)
done
