# Sourced by the sbatch scripts: loads sieve.env and checks it.
# shellcheck shell=bash
set -euo pipefail
SIEVE_DEPLOY_DIR=${SIEVE_DEPLOY_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
env_file=${SIEVE_ENV:-$SIEVE_DEPLOY_DIR/sieve.env}
if [ ! -f "$env_file" ]; then
  echo "sieve: $env_file missing (copy sieve.env.example)" >&2
  exit 2
fi
# shellcheck disable=SC1090
source "$env_file"
# Staged dedup writes next to the run's output, never into it (the run's
# shards are its input).
SIEVE_DEDUP_OUT=${SIEVE_DEDUP_OUT:-$SIEVE_OUT-dedup}
for v in SIEVE_BIN SIEVE_PIPELINE SIEVE_INPUT SIEVE_OUT RUN_TASKS SIGNATURE_TASKS BUCKET_TASKS FILTER_TASKS; do
  if [ -z "${!v:-}" ]; then
    echo "sieve: $v is not set in $env_file" >&2
    exit 2
  fi
done
