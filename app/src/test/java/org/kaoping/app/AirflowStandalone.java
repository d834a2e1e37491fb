package org.kaoping.app;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.kaoping.platform.ManagedProcess;
import org.kaoping.platform.PythonEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shipped {@code scheduling/airflow.sh} running {@code airflow standalone} (SQLite, loopback, free ports, a
 * fixed admin password) on the repository's DAGs, and the few REST v2 calls a test needs.
 */
final class AirflowStandalone implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ManagedProcess process;
  private final String base;
  private final String accessToken;
  // HTTP/1.1: uvicorn answers the HTTP/2 upgrade of a request with a body with 400
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  private AirflowStandalone(ManagedProcess process, String base, String accessToken) {
    this.process = process;
    this.base = base;
    this.accessToken = accessToken;
  }

  /** The repository's {@code scheduling} folder (tests run in the module directory). */
  static Path schedulingFolder() {
    return Path.of("").toAbsolutePath().getParent().resolve("scheduling");
  }

  /** Starts Airflow with {@code environment} added (the kaoping connection, the token) and waits until healthy. */
  static AirflowStandalone start(Path home, Map<String, String> environment) throws Exception {
    Files.createDirectories(home);
    String password = UUID.randomUUID().toString();
    Path passwords = home.resolve("passwords.json");
    Files.writeString(passwords, "{\"admin\": \"" + password + "\"}");
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    Map<String, String> env = new HashMap<>(environment);
    env.put("AIRFLOW_HOME", home.toString());
    env.put("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", "admin:admin");
    env.put("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", passwords.toString());
    env.put("AIRFLOW__API__HOST", "127.0.0.1");
    env.put("AIRFLOW__API__PORT", Integer.toString(port));
    env.put("AIRFLOW__API__BASE_URL", base);
    env.put("AIRFLOW__CORE__PARALLELISM", "4"); // LocalExecutor pre-forks a worker per slot
    env.put("AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL", "5");
    // paused until the test unpauses one: the monthly and quarterly DAGs would otherwise run their latest due period
    env.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
    // the log servers' fixed default ports would clash with any other Airflow on the machine
    env.put("AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT", Integer.toString(freePort()));
    env.put("AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT", Integer.toString(freePort()));
    ManagedProcess process = ManagedProcess.start("airflow", List.of("bash", schedulingFolder().resolve("airflow.sh").toString()),
        env, home, home.resolve("standalone.log"));
    try {
      process.awaitHealthy(URI.create(base + "/api/v2/monitor/health"), Duration.ofMinutes(8));
      HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/auth/token"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (token.statusCode() != 201) {
        throw new AssertionError("Airflow refused the test password: " + token.statusCode() + " " + token.body());
      }
      return new AirflowStandalone(process, base, JSON.readTree(token.body()).get("access_token").asText());
    } catch (Exception | AssertionError e) {
      process.close();
      throw e;
    }
  }

  /** The environment {@code airflow.sh} uses: the one {@link PythonEnvironment} makes, or the test would install twice. */
  static PythonEnvironment environment(java.util.function.Consumer<String> progress) {
    return PythonEnvironment.ensure("airflow", schedulingFolder().resolve("requirements-airflow.txt"), progress);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  JsonNode get(String path) throws Exception {
    return call("GET", path, null);
  }

  JsonNode call(String method, String path, String body) throws Exception {
    HttpResponse<String> response = send(method, path, body);
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError(method + " " + path + " → " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + accessToken).header("Accept", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Waits until the DAG is parsed (without import errors) and unpauses it; Airflow then schedules its latest due
   * run by itself (no catch-up), whose id this returns.
   */
  String unpauseAndAwaitScheduledRun(String dagId) throws Exception {
    awaitParsed(dagId);
    call("PATCH", "/api/v2/dags/" + dagId, "{\"is_paused\": false}");
    String[] runId = {null};
    ChildKaoping.await("Airflow to schedule a run of " + dagId, 300, () -> {
      try {
        JsonNode runs = get("/api/v2/dags/" + dagId + "/dagRuns?run_type=scheduled").get("dag_runs");
        runId[0] = runs.isEmpty() ? null : runs.get(0).get("dag_run_id").asText();
        return runId[0] != null;
      } catch (Exception e) {
        return false;
      }
    });
    return runId[0];
  }

  /** Triggers a manual run of a parsed, unpaused DAG through the REST API; returns its id. */
  String trigger(String dagId) throws Exception {
    return call("POST", "/api/v2/dags/" + dagId + "/dagRuns", "{\"logical_date\": null}").get("dag_run_id").asText();
  }

  private void awaitParsed(String dagId) throws Exception {
    ChildKaoping.await("Airflow to parse DAG " + dagId, 300, () -> {
      try {
        return send("GET", "/api/v2/dags/" + dagId, null).statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    });
    JsonNode errors = get("/api/v2/importErrors");
    if (errors.get("total_entries").asInt() > 0) {
      throw new AssertionError("the DAG folder has import errors: " + errors);
    }
  }

  /** Waits until the run is finished (success or failed) and returns that state. */
  String awaitFinished(String dagId, String runId, long seconds) throws Exception {
    String[] state = {null};
    ChildKaoping.await("DAG run " + runId + " of " + dagId + " to finish", seconds, () -> {
      try {
        state[0] = get(runPath(dagId, runId)).get("state").asText();
        if (!state[0].equals("success") && !state[0].equals("failed")) {
          Thread.sleep(2000);
          return false;
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      } catch (Exception e) {
        return false;
      }
    });
    return state[0];
  }

  /** Task id → state of the run's task instances. */
  Map<String, String> taskStates(String dagId, String runId) throws Exception {
    Map<String, String> states = new java.util.TreeMap<>();
    get(runPath(dagId, runId) + "/taskInstances").get("task_instances")
        .forEach(t -> states.put(t.get("task_id").asText(), t.get("state").asText()));
    return states;
  }

  /** The task's current try (1 until a retry). */
  int tryNumber(String dagId, String runId, String taskId) throws Exception {
    return get(runPath(dagId, runId) + "/taskInstances/" + taskId).get("try_number").asInt();
  }

  /** The log of a task's try as Airflow serves it (JSON events). */
  String taskLog(String dagId, String runId, String taskId, int attempt) throws Exception {
    return send("GET", runPath(dagId, runId) + "/taskInstances/" + taskId + "/logs/" + attempt, null).body();
  }

  /** The task's return value (XCom). */
  JsonNode returnValue(String dagId, String runId, String taskId) throws Exception {
    return get(runPath(dagId, runId) + "/taskInstances/" + taskId + "/xcomEntries/return_value").get("value");
  }

  private static String runPath(String dagId, String runId) {
    return "/api/v2/dags/" + dagId + "/dagRuns/" + URLEncoder.encode(runId, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Path log() {
    return process.log();
  }

  @Override
  public void close() {
    process.close();
  }
}
