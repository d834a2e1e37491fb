package org.kaoping.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.config.KaopingConfig;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.warehouse.WarehouseLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The control API of a real service (embedded PostgreSQL sources captured continuously), in this JVM. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlApiTest {
  static final String TOKEN = "test-token-0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path home;
  static EmbeddedSourceServer server;
  static Service service;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedSourceServer.start(home.resolve("sources"));
    KaopingConfig config = KaopingConfig.load(null, Map.of("home", home.toString(), "service.token", TOKEN,
        "service.build-interval-seconds", "0", "spark.master", "local[1]"));
    service = Service.start(config, config.serviceSettings().withPort(0), server, line -> {});
    base = "http://127.0.0.1:" + service.port();
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    server.close();
  }

  static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void everyRouteButHealthNeedsTheToken() throws Exception {
    for (ControlApi.Route route : service.routes()) {
      String path = route.path().replace("{id}", "build-1");
      for (String token : new String[] {null, "wrong-token-0123456789abcdef", TOKEN.substring(1)}) {
        HttpResponse<String> r = call(route.method().toUpperCase(), path, token, route.method().equals("post") ? "{\"kind\":\"build\"}" : null);
        if (path.equals("/health")) {
          assertEquals(200, r.statusCode(), r.body());
          assertEquals("UP", json(r).get("status").asText());
        } else {
          assertEquals(401, r.statusCode(), route + " " + r.body());
          assertEquals("{\"error\":\"unauthorized\"}", r.body(), "no detail");
        }
      }
    }
    assertEquals(401, call("GET", "/no/such/route", null, null).statusCode(), "unknown routes say nothing without the token");
    HttpResponse<String> unknown = call("GET", "/no/such/route", TOKEN, null);
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertEquals("no route GET /no/such/route", json(unknown).get("error").asText());
    assertEquals(200, call("GET", "/api/status", TOKEN, null).statusCode());
  }

  @Test
  void unknownRunIs404AndMalformedRequestsName400TheField() throws Exception {
    HttpResponse<String> r = call("GET", "/api/runs/build-19990101000000-9", TOKEN, null);
    assertEquals(404, r.statusCode());
    assertEquals("no run build-19990101000000-9", json(r).get("error").asText());
    Map<String, String> bad = Map.of("{}", "kind", "{\"kind\":\"bake\"}", "kind", "{\"kind\":\"build\",\"full\":\"yes\"}", "full",
        "{\"kind\":\"feed\",\"period\":\"2025-Q5\"}", "period", "{\"kind\":\"publish\",\"period\":\"2025\"}", "period",
        "not json", "body", "{\"kind\":\"build\",\"requestKey\":\"dag run with spaces\"}", "requestKey",
        "{\"kind\":\"ingest\",\"requestKey\":\"\"}", "requestKey", "{\"kind\":\"publish\",\"requestKey\":\"" + "k".repeat(201) + "\"}",
        "requestKey", "{\"kind\":\"remind\",\"period\":\"2025-Q3\"}", "period");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      r = call("POST", "/api/runs", TOKEN, e.getKey());
      assertEquals(400, r.statusCode(), e.getKey());
      assertEquals(e.getValue(), json(r).get("field").asText(), e.getKey() + " -> " + r.body());
    }
    r = call("GET", "/api/runs?limit=0", TOKEN, null);
    assertEquals(400, r.statusCode());
    assertEquals("limit", json(r).get("field").asText());
    r = call("POST", "/api/runs", TOKEN, "{\"kind\":\"report\",\"period\":\"2025-Q3\"}");
    assertEquals(202, r.statusCode(), r.body());
    String report = json(r).get("id").asText();
    JsonNode failed = await(() -> {
      JsonNode run = json(call("GET", "/api/runs/" + report, TOKEN, null));
      return "running".equals(run.get("state").asText()) ? null : run;
    });
    assertEquals("failed", failed.get("state").asText(), "a report run with nothing published: " + failed);
    assertTrue(failed.get("error").asText().contains("nothing published"), failed.toString());
  }

  /** A remind run delivers what the latest build reached; with nothing built it fails saying what to run first. */
  @Test
  void aRemindRunBeforeAnyBuildFailsNamingTheBuild() throws Exception {
    String id = awaitFinished(call("POST", "/api/runs", TOKEN, "{\"kind\":\"remind\",\"requestKey\":\"monthly/remind\"}"));
    JsonNode run = json(call("GET", "/api/runs/" + id, TOKEN, null));
    assertEquals("remind", run.get("kind").asText());
    assertEquals("failed", run.get("state").asText(), run.toString());
    assertTrue(run.get("error").asText().contains("run 'kaoping build' first"), run.toString());
  }

  /** The document's run kinds are the service's, in the same order. */
  @Test
  void theOpenApiDocumentNamesEveryRunKind() throws Exception {
    JsonNode kinds = new YAMLMapper().readTree(ControlApi.openApiDocument()).at("/components/schemas/Kind/enum");
    List<String> documented = new ArrayList<>();
    kinds.forEach(k -> documented.add(k.asText()));
    assertEquals(java.util.Arrays.stream(RunKind.values()).map(RunKind::apiName).toList(), documented);
  }

  @Test
  void runsAreFoundByTheRequestKeyTheyWereSubmittedWith() throws Exception {
    String key = "kaoping_daily/manual__2026-11-24T00:54:54.587876+00:00/report"; // an Airflow run id holds : + .
    List<String> mine = new ArrayList<>();
    for (String k : List.of(key, "kaoping_daily/other/report", key)) {
      mine.add(awaitFinished(call("POST", "/api/runs", TOKEN, "{\"kind\":\"report\",\"period\":\"2025-Q3\",\"requestKey\":\"" + k + "\"}")));
    }
    String query = "/api/runs?requestKey=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    JsonNode runs = json(call("GET", query, TOKEN, null)).get("runs");
    assertEquals(List.of(mine.get(2), mine.get(0)), ids(runs), "only that key's runs, newest first: " + runs);
    runs.forEach(r -> assertEquals(key, r.get("requestKey").asText()));
    assertEquals(List.of(mine.get(2)), ids(json(call("GET", query + "&limit=1", TOKEN, null)).get("runs")));
    assertEquals("[]", json(call("GET", "/api/runs?requestKey=nobody", TOKEN, null)).get("runs").toString());
    HttpResponse<String> bad = call("GET", "/api/runs?requestKey=a%20b", TOKEN, null);
    assertEquals(400, bad.statusCode(), bad.body());
    assertEquals("requestKey", json(bad).get("field").asText());
    boolean recorded = Files.readAllLines(home.resolve("service/runs.jsonl")).stream().map(line -> {
      try {
        return JSON.readTree(line);
      } catch (Exception e) {
        throw new AssertionError(line, e);
      }
    }).anyMatch(r -> r.get("id").asText().equals(mine.get(0)) && key.equals(r.path("requestKey").asText()));
    assertTrue(recorded, "the key is in the run log, so it survives a restart");
  }

  /** The id of the run a 202 answer started, once that run finished. */
  static String awaitFinished(HttpResponse<String> submitted) throws Exception {
    assertEquals(202, submitted.statusCode(), submitted.body());
    String id = json(submitted).get("id").asText();
    await(() -> "running".equals(json(call("GET", "/api/runs/" + id, TOKEN, null)).get("state").asText()) ? null : id);
    return id;
  }

  static List<String> ids(JsonNode runs) {
    List<String> ids = new ArrayList<>();
    runs.forEach(r -> ids.add(r.get("id").asText()));
    return ids;
  }

  /**
   * The build lock held here blocks the service's build deterministically: it waits for the lock. Last:
   * it stops the service while the build waits, which records the build failed.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void aSecondBuildIsRefusedNamingTheFirstWhichSurvivesItsCallerDisconnectingAndAStopFailsIt() throws Exception {
    String first;
    try (WarehouseLock held = WarehouseLock.acquire(home, WarehouseLock.Kind.BUILD, "ControlApiTest")) {
      // the first request's caller goes away before reading the answer
      try (Socket s = new Socket("127.0.0.1", service.port()); OutputStream out = s.getOutputStream()) {
        byte[] body = "{\"kind\":\"build\",\"full\":true}".getBytes(StandardCharsets.UTF_8);
        out.write(("POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
      JsonNode running = await(() -> {
        JsonNode runs = json(call("GET", "/api/runs?kind=build&state=running", TOKEN, null)).get("runs");
        return runs.size() == 1 && runs.get(0).path("progress").asText().contains("ControlApiTest") ? runs.get(0) : null;
      });
      first = running.get("id").asText();
      assertEquals(true, running.get("parameters").get("full").asBoolean());
      HttpResponse<String> second = call("POST", "/api/runs", TOKEN, "{\"kind\":\"build\"}");
      assertEquals(409, second.statusCode());
      assertEquals("a build run is already in progress: " + first, json(second).get("error").asText());
      assertEquals(first, json(second).get("running").get("id").asText());
      assertEquals("running", json(call("GET", "/api/runs/" + first, TOKEN, null)).get("state").asText());
      Run waiting = service.runs().store().get(first);
      service.close(); // graceful: the waiting build gives up and is recorded failed
      assertEquals(Run.State.FAILED, waiting.state());
      assertEquals("the service stopped while it ran", waiting.error());
    }
  }

  @Test
  void metricsExposeIngestionBuildsPublicationsAndRuns() throws Exception {
    String text = await(() -> {
      HttpResponse<String> r = call("GET", "/metrics", TOKEN, null);
      return r.statusCode() == 200 && r.body().contains("kaoping_ingest_last_checkpoint_timestamp_seconds{source=\"worklog\"}")
          ? r.body() : null;
    });
    for (String name : new String[] {"kaoping_up 1", "kaoping_ingest_lag_seconds{source=\"worklog\"}",
        "kaoping_ingest_events_per_second{source=\"approval\"}", "kaoping_ingest_retained_wal_bytes{source=\"worklog\"}",
        "kaoping_ingest_lag_bytes{source=\"approval\"}", "# TYPE kaoping_last_build_timestamp_seconds gauge",
        "# TYPE kaoping_last_publication_duration_seconds gauge", "kaoping_runs{kind=\"build\",state=\"running\"}"}) {
      assertTrue(text.contains(name), name + " in\n" + text);
    }
    JsonNode status = json(call("GET", "/api/status", TOKEN, null));
    assertTrue(status.get("ingestion").has("worklog"), status.toString());
    assertTrue(status.get("ingestion").get("worklog").has("retainedWalBytes"));
  }

  @Test
  void theOpenApiDocumentListsExactlyTheRoutesTheServerRegisters() throws Exception {
    HttpResponse<String> r = call("GET", "/openapi.yaml", TOKEN, null);
    assertEquals(200, r.statusCode());
    assertEquals(ControlApi.openApiDocument(), r.body(), "served as committed");
    JsonNode doc = new YAMLMapper().readTree(r.body());
    Set<String> documented = new TreeSet<>();
    doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> documented.add(m + " " + p.getKey())));
    Set<String> registered = new TreeSet<>();
    service.routes().forEach(route -> registered.add(route.method() + " " + route.path()));
    assertEquals(registered, documented);
  }

  interface Probe<T> {
    T get() throws Exception;
  }

  /** Polls until the probe answers (generous deadline: the machine is shared). */
  static <T> T await(Probe<T> probe) throws Exception {
    long deadline = System.currentTimeMillis() + 180_000;
    while (true) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met in 180 s");
      }
      Thread.sleep(100);
    }
  }
}
