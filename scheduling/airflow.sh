#!/usr/bin/env bash
# Runs Apache Airflow (pinned in requirements-airflow.txt) for scheduling Kaoping: creates the cached virtual
# environment on first use, then `airflow standalone` on loopback with the DAGs of this folder.
#   scheduling/airflow.sh            start Airflow (UI/API on http://127.0.0.1:${AIRFLOW_PORT:-8080})
#   scheduling/airflow.sh --install  only create the environment; prints its directory
#   scheduling/airflow.sh <args>     any other airflow command in that environment, e.g. `dags list`
# Kaoping's connection and token come from the environment (see scheduling/README.md), never from a file here.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
requirements="$here/requirements-airflow.txt"

# The same place and hash as org.kaoping.platform.PythonEnvironment, so the tests and this script share one install.
if [[ -n "${KAOPING_CACHE:-}" ]]; then cache="$KAOPING_CACHE"
elif [[ -n "${XDG_CACHE_HOME:-}" ]]; then cache="$XDG_CACHE_HOME/kaoping"
else cache="$HOME/.cache/kaoping"; fi
hash="$(sha256sum "$requirements" | cut -c1-12)"
venv="$cache/venvs/airflow-$hash"

install() {
  mkdir -p "$cache/venvs"
  exec 9>"$cache/venvs/airflow.lock"
  flock 9 # a concurrent test or script waits for one install
  if [[ ! -f "$venv/.kaoping-complete" ]]; then
    echo "Installing Airflow (pinned in requirements-airflow.txt) into $venv — first use only, a few minutes; output in $venv/install.log" >&2
    rm -rf "$venv" && mkdir -p "$venv"
    cp "$requirements" "$venv/requirements.txt"
    {
      "${KAOPING_PYTHON:-python3}" -m venv "$venv"
      "$venv/bin/pip" install --disable-pip-version-check --no-input -q -U pip
      "$venv/bin/pip" install --disable-pip-version-check --no-input -r "$venv/requirements.txt"
    } >>"$venv/install.log" 2>&1 || { echo "Airflow install failed; see $venv/install.log" >&2; exit 1; }
    echo installed >"$venv/.kaoping-complete"
  fi
  exec 9>&-
}

install
if [[ "${1:-}" == "--install" ]]; then echo "$venv"; exit 0; fi

export AIRFLOW_HOME="${AIRFLOW_HOME:-$HOME/airflow-kaoping}"
export AIRFLOW__CORE__DAGS_FOLDER="$here/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
# Few workers: the LocalExecutor pre-forks one process (≈130 MB) per slot, and Kaoping runs one job of a kind at a time.
export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-4}"
export AIRFLOW__API__HOST="${AIRFLOW__API__HOST:-127.0.0.1}"
export AIRFLOW__API__PORT="${AIRFLOW_PORT:-${AIRFLOW__API__PORT:-8080}}"
# Tasks reach the execution API through this address; the default assumes port 8080 on localhost.
export AIRFLOW__API__BASE_URL="${AIRFLOW__API__BASE_URL:-http://$AIRFLOW__API__HOST:$AIRFLOW__API__PORT}"
if [[ -z "${AIRFLOW_CONN_KAOPING:-}" ]]; then
  export AIRFLOW_CONN_KAOPING='{"conn_type": "http", "host": "127.0.0.1", "port": 8765}'
fi
# standalone starts its components as `airflow …` from PATH
export PATH="$venv/bin:$PATH"
mkdir -p "$AIRFLOW_HOME"

if [[ $# -eq 0 ]]; then
  if [[ -z "${KAOPING_SERVICE_TOKEN:-}" ]]; then
    echo "KAOPING_SERVICE_TOKEN is not set: the DAGs cannot call kaoping serve without its token (or put it in the kaoping connection's password)." >&2
  fi
  exec "$venv/bin/airflow" standalone
fi
exec "$venv/bin/airflow" "$@"
