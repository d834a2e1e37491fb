"""Kaoping's schedule, run by Apache Airflow 3 through the control API of `kaoping serve`.

Every step POSTs /api/runs with a request key naming the DAG run and step (202: the run id goes to XCom), then an
HttpSensor in reschedule mode polls the latest run of that key until it succeeded. A failed run (e.g. the service
restarted under it) is submitted again under the same key and fails that try with Kaoping's error; the retry waits for
the new run, the last try only fails.

Connection `kaoping` (conn type http: host, port; e.g. AIRFLOW_CONN_KAOPING). The token comes from that
connection's password, else the Airflow Variable `kaoping_service_token`, else the environment variable
KAOPING_SERVICE_TOKEN of the Airflow processes; it is never written here.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import timedelta

import pendulum
import requests
from airflow.providers.http.hooks.http import HttpHook
from airflow.providers.http.operators.http import HttpOperator
from airflow.providers.http.sensors.http import HttpSensor
from airflow.sdk import DAG, BaseHook, TaskGroup, Variable
from airflow.sdk.exceptions import AirflowException, AirflowFailException
from airflow.sdk.log import mask_secret

CONN_ID = "kaoping"
TZ = pendulum.timezone("Asia/Shanghai")
# Seconds between polls of a run; tests shorten it (parse-time setting, not a secret).
POKE_SECONDS = int(os.environ.get("KAOPING_AIRFLOW_POKE_SECONDS", "60"))
# Seconds before a wait whose run failed (and was submitted again) polls the new run; tests shorten it.
RETRY_SECONDS = int(os.environ.get("KAOPING_AIRFLOW_RETRY_SECONDS", "60"))
# How long a step may take before Airflow gives up on it (a full build of a large year takes hours).
STEP_TIMEOUT = {"ingest": timedelta(hours=2), "build": timedelta(hours=6), "publish": timedelta(hours=2),
                "feed": timedelta(hours=1), "report": timedelta(hours=2), "remind": timedelta(minutes=30)}

log = logging.getLogger(__name__)


def kaoping_token() -> str:
    """The service token, resolved when the task runs (connection password, Variable, environment)."""
    token = None
    try:
        token = BaseHook.get_connection(CONN_ID).password
    except Exception:  # no such connection: the environment variable may still name the service
        token = None
    token = token or Variable.get("kaoping_service_token", default=None) or os.environ.get("KAOPING_SERVICE_TOKEN")
    if not token:
        raise AirflowFailException("No Kaoping service token: set the password of connection 'kaoping', the Variable"
                                   " kaoping_service_token or KAOPING_SERVICE_TOKEN in Airflow's environment.")
    mask_secret(token)  # rendered headers and logs show *** instead
    return token


def _refused(response) -> None:
    if response.status_code == 401:
        log.error("Kaoping refused the token (HTTP 401 unauthorized): check KAOPING_SERVICE_TOKEN / the password"
                  " of connection 'kaoping' against the token kaoping serve was started with.")
        raise AirflowFailException("Kaoping refused the token (HTTP 401); retrying cannot help")


def check_submitted(response) -> bool:
    """202 → accepted; 409 → a run of that kind is in progress, retried after retry_delay; 401 → fail for good."""
    _refused(response)
    if response.status_code == 409:
        raise AirflowException("Kaoping is busy, will retry: " + response.json().get("error", response.text))
    if response.status_code != 202:
        raise AirflowFailException(f"Kaoping did not accept the run (HTTP {response.status_code}): {response.text}")
    run = response.json()
    log.info("Kaoping accepted run %s (%s)", run["id"], json.dumps(run.get("parameters", {}), ensure_ascii=False))
    return True


def check_run(response, ti) -> bool:
    """True once the step's latest run succeeded. A failed one is submitted again (same key) and fails this try, so
    the retry waits for the new run; on the last try it only fails."""
    _refused(response)
    if response.status_code != 200:
        log.warning("Kaoping answered HTTP %s; polling again", response.status_code)
        return False
    runs = response.json()["runs"]
    if not runs:
        raise AirflowFailException("Kaoping has no run for this step's request key: " + response.url)
    run = runs[0]
    if run["state"] != "failed":
        log.info("Kaoping run %s is %s: %s", run["id"], run["state"], run.get("progress") or "")
        return run["state"] == "succeeded"
    failure = f"Kaoping run {run['id']} failed: {run.get('error')}"
    log.error("%s", failure)
    if ti.try_number > ti.max_tries:
        raise AirflowFailException(failure)
    raise AirflowException(failure + "; " + resubmit(run))


def resubmit(run: dict) -> str:
    """Submits the failed run's kind and parameters again under its request key; says what happened."""
    body = {"kind": run["kind"], **{k: v for k, v in run["parameters"].items() if v is not None},
            "requestKey": run["requestKey"]}
    response = HttpHook(method="POST", http_conn_id=CONN_ID).run(
        "api/runs", data=json.dumps(body), extra_options={"check_response": False},
        headers={"Authorization": "Bearer " + kaoping_token(), "Content-Type": "application/json"})
    _refused(response)
    if response.status_code == 202:
        log.info("Submitted again as Kaoping run %s", response.json()["id"])
        return f"submitted again as {response.json()['id']}, the retry waits for it"
    # 409: another run of that kind is going; the retry finds this failed run again and submits it then.
    log.warning("Kaoping did not take the run again (HTTP %s): %s", response.status_code, response.text)
    return f"not submitted again (HTTP {response.status_code}), the retry tries again"


class KaopingRunSensor(HttpSensor):
    """An HttpSensor for which an unreachable service (restarting) means "not yet": failing the try would spend a
    retry that is meant for submitting a failed run again."""

    def poke(self, context):
        try:
            return super().poke(context)
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as e:
            self.log.warning("Kaoping is not reachable (%s); polling again", e)
            return False


def kaoping_step(kind: str, **parameters) -> TaskGroup:
    """POST a run of `kind`, then wait for it. String parameters may be Jinja templates (e.g. the period)."""
    with TaskGroup(group_id=kind) as group:
        headers = {"Authorization": "Bearer {{ kaoping_token() }}", "Content-Type": "application/json"}
        # Names this step of this DAG run: the wait finds the latest run submitted for it, also one submitted again.
        request_key = "{{ dag.dag_id }}/{{ run_id }}/" + kind
        submit = HttpOperator(
            task_id="submit",
            http_conn_id=CONN_ID,
            method="POST",
            endpoint="api/runs",
            data=json.dumps({"kind": kind, **parameters, "requestKey": request_key}),
            headers=headers,
            extra_options={"check_response": False},  # check_submitted reads 401/409 itself
            response_check=check_submitted,
            response_filter=lambda response: response.json()["id"],
            # 409: another run of this kind (e.g. started by hand) is still going; wait for it to finish.
            retries=6,
            retry_delay=timedelta(seconds=max(POKE_SECONDS, 10) * 5),
            execution_timeout=timedelta(minutes=2),
        )
        wait = KaopingRunSensor(
            task_id="wait",
            http_conn_id=CONN_ID,
            method="GET",
            endpoint="api/runs",
            request_params={"requestKey": request_key, "limit": "1"},  # sent URL-encoded: run ids hold + and :
            headers=headers,
            extra_options={"check_response": False},
            response_check=check_run,
            mode="reschedule",  # frees the worker slot between polls: builds take minutes to hours
            poke_interval=POKE_SECONDS,
            timeout=STEP_TIMEOUT[kind].total_seconds(),
            # Each retry waits for the run check_run submitted again after a failure: two more chances for the step.
            retries=2,
            retry_delay=timedelta(seconds=RETRY_SECONDS),
        )
        submit >> wait
    return group


DEFAULTS = {"owner": "kaoping"}


def closed_month(run_after) -> str:
    """The month before the one the run is due in, as Kaoping names it (2025-09)."""
    return pendulum.instance(run_after).in_timezone(TZ).subtract(months=1).format("YYYY-MM")


def closed_quarter(run_after) -> str:
    """The quarter before the one the run is due in (2025-Q3)."""
    previous = pendulum.instance(run_after).in_timezone(TZ).subtract(months=3)
    return f"{previous.year}-Q{previous.quarter}"


MACROS = {"kaoping_token": kaoping_token, "closed_month": closed_month, "closed_quarter": closed_quarter}
# run_after, not the data interval: Airflow 3 cron schedules have no interval, and a manual run has no logical date.
MONTH = "{{ closed_month(dag_run.run_after) }}"
QUARTER = "{{ closed_quarter(dag_run.run_after) }}"

# Daily at 01:30 Beijing time: every log filed yesterday is in, and the filing grace (by default the end of the next
# working day) of the working day before has passed, so its fill status is final when published. The reminders go out
# daily too: a bell days before a deadline is no use a month later (each is delivered once, so no day repeats one).
with DAG(
    dag_id="kaoping_daily",
    description="Catch up ingestion, incremental build, publish to the serving database, deliver the new reminders",
    schedule="30 1 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz=TZ),
    catchup=False,  # one build covers everything since the last: missed days need no replay
    max_active_runs=1,
    default_args=DEFAULTS,
    user_defined_macros=MACROS,
    tags=["kaoping"],
):
    (kaoping_step("ingest") >> kaoping_step("build", full=False) >> kaoping_step("publish", full=False)
     >> kaoping_step("remind"))

# Monthly scores on the 10th: the month's filing grace has passed even after the Spring Festival or National Day
# holidays (up to eight days off), so the closed month is scored once, on final data. The reminders (bells, yellow and
# red cards) the month's final build reached go out beside the report: each only once, so none the daily runs (or a
# failed run) delivered is repeated.
with DAG(
    dag_id="kaoping_monthly",
    description="Score the closed month: build for it, publish, deliver the new reminders, report",
    schedule="0 3 10 * *",
    start_date=pendulum.datetime(2026, 1, 1, tz=TZ),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULTS,
    user_defined_macros=MACROS,
    tags=["kaoping"],
):
    (kaoping_step("ingest") >> kaoping_step("build", full=False, period=MONTH)
     >> kaoping_step("publish", full=False) >> [kaoping_step("remind"), kaoping_step("report", period=MONTH)])

# Quarterly scores and the cadre-management feed (complete quarters only) on the 10th after a quarter closes.
with DAG(
    dag_id="kaoping_quarterly",
    description="Score the closed quarter: build for it, publish, deliver the feed, report",
    schedule="30 4 10 1,4,7,10 *",
    start_date=pendulum.datetime(2026, 1, 1, tz=TZ),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULTS,
    user_defined_macros=MACROS,
    tags=["kaoping"],
):
    (kaoping_step("ingest") >> kaoping_step("build", full=False, period=QUARTER)
     >> kaoping_step("publish", full=False) >> kaoping_step("feed", period=QUARTER, provisional=False)
     >> kaoping_step("report", period=QUARTER))
