package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;
import org.kaoping.platform.Commands;
import org.kaoping.platform.PythonEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shipped DAGs in a real, pinned Airflow ({@code scheduling/airflow.sh}, standalone, SQLite) driving a real
 * {@code kaoping serve} over its control API: the daily run Airflow schedules ingests, builds and publishes what a source
 * committed just before, then delivers the reminders; a service killed while Airflow waits on its build fails that try, the retry waits for the build
 * the DAG submitted again, and only that build is published, once; a run triggered through Airflow's REST API with a
 * token the service refuses fails visibly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AirflowSchedulingTest extends WithEmbeddedSources {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DAILY = "kaoping_daily";
  private static final String TOKEN = "airflow-test-" + UUID.randomUUID();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static int servicePort;
  private static ServingPublisher.Target serving;
  private static Process service;
  private static AirflowStandalone airflow;

  @BeforeAll
  static void startServiceAndAirflow() throws Exception {
    long start = System.nanoTime();
    PythonEnvironment venv = AirflowStandalone.environment(System.out::println);
    System.out.printf("Airflow environment ready in %.0f s: %s%n", (System.nanoTime() - start) / 1e9, venv.directory());
    Path scriptSays = dir.resolve("airflow-install.txt");
    Commands.run(List.of("bash", AirflowStandalone.schedulingFolder().resolve("airflow.sh").toString(), "--install"), Map.of(),
        scriptSays, 5);
    assertTrue(Commands.tail(scriptSays, 1).strip().endsWith(venv.directory().toString()),
        "airflow.sh and PythonEnvironment share one environment: " + Commands.tail(scriptSays, 3));

    runWorklogScript("fixture/phase1.sql");
    serving = Serving.embedded(KaopingConfig.load(null, Map.of()), server.port());
    server.createDatabase("airflow_cadre"); // where the daily run's reminders go
    servicePort = AirflowStandalone.freePort();
    service = startService(TOKEN);

    start = System.nanoTime();
    Map<String, String> env = new HashMap<>();
    env.put("AIRFLOW_CONN_KAOPING", "{\"conn_type\": \"http\", \"host\": \"127.0.0.1\", \"port\": " + servicePort + "}");
    env.put("KAOPING_SERVICE_TOKEN", TOKEN);
    env.put("KAOPING_AIRFLOW_POKE_SECONDS", "15"); // shorter re-queues a rescheduled sensor before its last poke is reported, a spurious retry
    env.put("KAOPING_AIRFLOW_RETRY_SECONDS", "5");
    airflow = AirflowStandalone.start(dir.resolve("airflow"), env);
    System.out.printf("Airflow standalone healthy in %.0f s%n", (System.nanoTime() - start) / 1e9);
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (airflow != null) {
      airflow.close();
    }
    stopService();
  }

  @Test
  @Order(1)
  void theScheduledDailyRunIngestsBuildsAndPublishesWhatTheSourceCommitted() throws Exception {
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
      s.execute("INSERT INTO work_log (id, staff_id, work_date, category, minutes, content, status, submitted_at, created_at,"
          + " updated_at) VALUES (1090, 104, '2025-10-13', 'BUSINESS', 200, '调度触发的日志', 'APPROVED', '2025-10-13 18:00',"
          + " '2025-10-13 17:00', '2025-10-14 10:00')");
    }
    long start = System.nanoTime();
    String run = airflow.unpauseAndAwaitScheduledRun(DAILY); // the latest due day, scheduled by Airflow itself
    String state = airflow.awaitFinished(DAILY, run, 1800);
    Map<String, String> tasks = airflow.taskStates(DAILY, run);
    assertEquals("success", state, "daily run " + run + ": " + tasks + "\n" + airflow.taskLog(DAILY, run, "publish.wait", 1));
    System.out.printf("Daily DAG run succeeded in %.0f s: %s%n", (System.nanoTime() - start) / 1e9, tasks);

    Map<String, JsonNode> results = new HashMap<>();
    for (String kind : List.of("ingest", "build", "publish", "remind")) {
      String id = airflow.returnValue(DAILY, run, kind + ".submit").asText();
      JsonNode recorded = service("/api/runs/" + id);
      assertEquals(kind, recorded.get("kind").asText(), recorded.toString());
      assertEquals("succeeded", recorded.get("state").asText(), "Kaoping recorded the " + kind + " Airflow asked for: " + recorded);
      results.put(kind, recorded.get("result"));
    }
    try (Connection c = DriverManager.getConnection(serving.jdbcUrl(), serving.readerRole(), serving.readerPassword());
        Statement s = c.createStatement()) {
      assertEquals(results.get("build").get("buildId").asText(), one(s, "SELECT build_id FROM kaoping.publication"
          + " WHERE publication_id = " + results.get("publish").get("publicationId").asLong()),
          "the serving database holds the publication of the build Airflow started: " + results);
      assertEquals("调度触发的日志", one(s, "SELECT content FROM kaoping.fact_work_log WHERE log_id = 1090"),
          "the row committed before the trigger is published");
    }
  }

  @Test
  @Order(2)
  void aServiceKilledWhileAirflowWaitsFailsThatTryAndTheRetryBuildsAgainThenPublishesOnce() throws Exception {
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement()) {
      s.execute("UPDATE work_log SET minutes = 90 WHERE id = 1090"); // work for the build Airflow is about to wait on
    }
    String publications = publicationCount();
    String run = airflow.trigger(DAILY); // through Airflow's REST API
    ChildKaoping.await("Airflow to wait on a running Kaoping build", 900, () -> {
      try {
        boolean waiting = !service("/api/runs?kind=build&state=running").get("runs").isEmpty()
            && List.of("running", "up_for_reschedule").contains(airflow.taskStates(DAILY, run).get("build.wait"));
        if (!waiting) {
          Thread.sleep(500); // both are HTTP calls: a gentler loop than the default
        }
        return waiting;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      } catch (Exception e) {
        return false;
      }
    });
    service.destroyForcibly().waitFor(); // a crash: the run cannot record its own end
    service = startService(TOKEN);
    long restarted = System.nanoTime();
    String state = airflow.awaitFinished(DAILY, run, 1800);
    Map<String, String> tasks = airflow.taskStates(DAILY, run);
    System.out.printf("DAG run with the killed build finished %s %.0f s after the restart: %s%n", state,
        (System.nanoTime() - restarted) / 1e9, tasks);
    assertEquals("success", state, "the retry builds again and publishes: " + tasks + "\n" + allTries(DAILY, run, "build.wait"));

    JsonNode builds = service("/api/runs?requestKey=" + key(run, "build")).get("runs"); // newest first
    assertEquals(2, builds.size(), "the killed build and the one submitted again: " + builds);
    JsonNode killed = builds.get(1);
    JsonNode again = builds.get(0);
    assertEquals(airflow.returnValue(DAILY, run, "build.submit").asText(), killed.get("id").asText());
    assertEquals("the service stopped while it ran", killed.get("error").asText(), killed.toString());
    assertEquals("succeeded", again.get("state").asText(), again.toString());
    assertEquals(2, airflow.tryNumber(DAILY, run, "build.wait"), "one retry, waiting for the build submitted again");
    String firstTry = airflow.taskLog(DAILY, run, "build.wait", 1);
    assertTrue(firstTry.contains("Kaoping run " + killed.get("id").asText() + " failed: the service stopped while it ran; submitted again as "
        + again.get("id").asText()), firstTry);

    JsonNode publishes = service("/api/runs?requestKey=" + key(run, "publish")).get("runs");
    assertEquals(1, publishes.size(), "publish ran once, after the build succeeded: " + publishes);
    assertEquals(Long.parseLong(publications) + 1, Long.parseLong(publicationCount()), "exactly one new publication");
    try (Connection c = DriverManager.getConnection(serving.jdbcUrl(), serving.readerRole(), serving.readerPassword());
        Statement s = c.createStatement()) {
      assertEquals(again.get("result").get("buildId").asText(), one(s, "SELECT build_id FROM kaoping.publication WHERE publication_id = "
          + publishes.get(0).get("result").get("publicationId").asLong()), "it publishes the build submitted again, nothing of the killed one");
    }
  }

  @Test
  @Order(3)
  void aRefusedTokenFailsTheRunVisibly() throws Exception {
    stopService();
    service = startService("rotated-token-" + UUID.randomUUID()); // Airflow still sends the old one
    String run = airflow.trigger(DAILY); // through Airflow's REST API
    assertEquals("failed", airflow.awaitFinished(DAILY, run, 900));
    assertEquals("failed", airflow.taskStates(DAILY, run).get("ingest.submit"));
    String log = airflow.taskLog(DAILY, run, "ingest.submit", 1);
    assertTrue(log.contains("Kaoping refused the token (HTTP 401"), log);
    assertTrue(!log.contains(TOKEN), "the token is never logged");
  }

  private static Process startService(String token) throws Exception {
    Path log = dir.resolve("serve.log");
    Process p = ChildKaoping.start(log, List.of(), Map.of("KAOPING_SERVICE_TOKEN", token), "serve", "--home", dir.toString(),
        "--set", "source.worklog.port=" + server.port(), "--set", "source.approval.port=" + server.port(),
        "--set", "metrics.as-of-date=2025-10-31", "--set", "spark.master=local[2]",
        "--set", "serving.jdbc-url=" + serving.jdbcUrl(), "--set", "service.port=" + servicePort,
        "--set", "feed.target-url=jdbc:postgresql://127.0.0.1:" + server.port() + "/airflow_cadre",
        "--set", "feed.target-user=postgres",
        "--set", "service.build-interval-seconds=0"); // only Airflow starts builds here
    ChildKaoping.await("kaoping serve to be healthy (log " + log + ")", 600, () -> {
      if (!p.isAlive()) {
        throw new AssertionError("kaoping serve exited with " + p.exitValue() + ":\n" + Commands.tail(log, 30));
      }
      try {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servicePort + "/health")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    });
    return p;
  }

  private static void stopService() throws InterruptedException {
    if (service != null) {
      service.destroy(); // SIGTERM: the service stops its runs and capture cleanly
      if (!service.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
        service.destroyForcibly().waitFor();
      }
      service = null;
    }
  }

  /** The logs of every try of a task (a poll during the restart fails and is retried). */
  private static String allTries(String dagId, String run, String task) throws Exception {
    StringBuilder logs = new StringBuilder();
    for (int attempt = 1; attempt <= 4; attempt++) {
      logs.append(airflow.taskLog(dagId, run, task, attempt)).append('\n');
    }
    return logs.toString();
  }

  /** The request key the DAG sends for a step of a run, URL-encoded for a query. */
  private static String key(String run, String step) {
    return URLEncoder.encode(DAILY + "/" + run + "/" + step, StandardCharsets.UTF_8);
  }

  private static String publicationCount() throws Exception {
    try (Connection c = DriverManager.getConnection(serving.jdbcUrl(), serving.readerRole(), serving.readerPassword());
        Statement s = c.createStatement()) {
      return one(s, "SELECT count(*) FROM kaoping.publication");
    }
  }

  private static JsonNode service(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servicePort + path))
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return JSON.readTree(response.body());
  }

  private static String one(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }
}
