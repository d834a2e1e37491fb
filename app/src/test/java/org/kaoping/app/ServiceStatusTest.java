package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kaoping.app.service.Service;
import org.kaoping.config.KaopingConfig;
import org.kaoping.demo.EmbeddedSourceServer.SourceDatabase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The service's status tells what the warehouse and the serving database record from its first request (a service
 * started on a home that was published before), and a build_and_publish run through the API leaves a new publication
 * being served.
 */
class ServiceStatusTest extends WithEmbeddedSources {
  private static final String TOKEN = "status-test-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void statusNamesTheServedPublicationFromTheStartAndBuildAndPublishServesANewOne() throws Exception {
    runWorklogScript("fixture/phase1.sql");
    KaopingConfig config = KaopingConfig.load(null, Map.of("home", dir.toString(), "service.token", TOKEN,
        "service.build-interval-seconds", "0", "spark.master", "local[2]"));
    String firstBuild;
    try (EmbeddedServing serving = EmbeddedServing.start(config);
         Service service = Service.start(config, config.serviceSettings().withPort(0), server, serving, System.out::println)) {
      servingUrl = serving.target().jdbcUrl() + "?user=postgres";
      String base = "http://127.0.0.1:" + service.port();
      assertTrue(status(base).get("lastPublication").isNull(), "nothing published yet");
      runToSuccess(base, "{\"kind\":\"ingest\"}");
      firstBuild = runToSuccess(base, "{\"kind\":\"build_and_publish\"}").get("buildId").asText();
    }

    try (EmbeddedServing serving = EmbeddedServing.start(config);
         Service service = Service.start(config, config.serviceSettings().withPort(0), server, serving, System.out::println)) {
      servingUrl = serving.target().jdbcUrl() + "?user=postgres";
      String base = "http://127.0.0.1:" + service.port();
      JsonNode status = status(base); // the restarted service's first request
      assertEquals(1, status.get("lastPublication").get("publicationId").asLong(), status.toString());
      assertEquals(firstBuild, status.get("lastPublication").get("buildId").asText(), status.toString());
      assertEquals(firstBuild, status.get("lastBuild").get("buildId").asText(), status.toString());
      assertTrue(status.get("lastBuildRun").isNull(), "this service has run no build: " + status);
      assertTrue(get(base, "/metrics").contains("\nkaoping_serving_publication 1\n"), "the metric names publication 1");

      long id = insertWorkLog();
      runToSuccess(base, "{\"kind\":\"ingest\"}");
      JsonNode result = runToSuccess(base, "{\"kind\":\"build_and_publish\"}");
      assertEquals(2, result.get("publicationId").asLong(), result.toString());
      JsonNode after = status(base);
      assertEquals(2, after.get("lastPublication").get("publicationId").asLong(), after.toString());
      assertEquals(result.get("buildId").asText(), after.get("lastPublication").get("buildId").asText(), after.toString());
      assertEquals(result.get("buildId").asText(), after.get("lastBuild").get("buildId").asText(), after.toString());
      assertEquals(1, served("SELECT count(*) FROM kaoping.fact_work_log WHERE log_id = " + id), "the new log is served");
    }
  }

  /** A new work log in the source; its id. */
  private static long insertWorkLog() throws Exception {
    try (Connection c = server.connect(SourceDatabase.WORKLOG); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("INSERT INTO work_log (id, staff_id, work_date, category, minutes, content, status,"
             + " submitted_at, created_at, updated_at) SELECT max(id) + 1, 104, '2025-10-10', 'BUSINESS', 45, '构建并发布', 'APPROVED',"
             + " '2025-10-10 18:00', '2025-10-10 17:00', '2025-10-10 18:00' FROM work_log RETURNING id")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Submits a run through the API and waits for it to succeed; its result. */
  private static JsonNode runToSuccess(String base, String body) throws Exception {
    HttpResponse<String> submitted = HTTP.send(request(base, "/api/runs").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(202, submitted.statusCode(), submitted.body());
    String path = "/api/runs/" + JSON.readTree(submitted.body()).get("id").asText();
    JsonNode[] run = new JsonNode[1];
    ChildKaoping.await(body + " to finish", 900, () -> {
      try {
        run[0] = JSON.readTree(get(base, path));
        return !"running".equals(run[0].get("state").asText());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals("succeeded", run[0].get("state").asText(), run[0].toString());
    return run[0].get("result");
  }

  private static JsonNode status(String base) throws Exception {
    return JSON.readTree(get(base, "/api/status"));
  }

  private static String get(String base, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(request(base, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  private static HttpRequest.Builder request(String base, String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN);
  }

  private static String servingUrl;

  private static long served(String query) throws Exception {
    try (Connection c = DriverManager.getConnection(servingUrl); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
