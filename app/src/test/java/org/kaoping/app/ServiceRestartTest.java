package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaoping.warehouse.WarehouseLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A service killed (SIGKILL) under a run records it failed when it starts again; SIGTERM stops it
 * cleanly (exit 0) with the run it could not finish recorded failed. The build lock held by this test
 * keeps the build waiting, so the run is in progress at the kill, deterministically.
 */
class ServiceRestartTest {
  static final String TOKEN = "restart-test-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path home;

  @Test
  void aRunLeftRunningByAKilledServiceIsFailedOnRestartAndSigtermStopsCleanly() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port;
    Path log = home.resolve("serve.log");
    // no sources, a serving database that is never reached: the test is about runs, not data
    String[] args = {"serve", "--home", home.toString(), "--set", "sources=", "--set", "service.port=" + port,
        "--set", "service.token=" + TOKEN, "--set", "serving.jdbc-url=jdbc:postgresql://127.0.0.1:1/none"};
    try (ChildKaoping.Reaper children = new ChildKaoping.Reaper();
         WarehouseLock held = WarehouseLock.acquire(home, WarehouseLock.Kind.BUILD, "ServiceRestartTest")) {
      Process first = children.add(ChildKaoping.start(log, List.of(), args));
      awaitHealthy(base);
      String id = JSON.readTree(post(base, "{\"kind\":\"build\"}").body()).get("id").asText();
      awaitWaiting(base, id);
      first.destroyForcibly().waitFor();

      Process second = children.add(ChildKaoping.start(log, List.of(), args));
      awaitHealthy(base);
      JsonNode killed = run(base, id);
      assertEquals("failed", killed.get("state").asText());
      assertEquals("the service stopped while it ran", killed.get("error").asText());

      String next = JSON.readTree(post(base, "{\"kind\":\"build\"}").body()).get("id").asText();
      awaitWaiting(base, next);
      second.destroy(); // SIGTERM
      assertEquals(0, second.waitFor(), Files.readString(log));
      List<String> lines = Files.readAllLines(home.resolve("service/runs.jsonl"), StandardCharsets.UTF_8);
      JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
      assertEquals(next, last.get("id").asText());
      assertEquals("failed", last.get("state").asText());
      assertEquals("the service stopped while it ran", last.get("error").asText());
    }
  }

  static void awaitHealthy(String base) throws Exception {
    ChildKaoping.await("the service's health", 300, () -> {
      try {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode() == 200;
      } catch (java.io.IOException e) {
        return false; // not listening yet
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Until the run says it waits for the build lock this test holds. */
  static void awaitWaiting(String base, String id) throws Exception {
    ChildKaoping.await("run " + id + " waiting for the build lock", 120, () -> {
      try {
        return run(base, id).path("progress").asText().contains("ServiceRestartTest");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static HttpResponse<String> post(String base, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/runs")).header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, r.statusCode(), r.body());
    return r;
  }

  static JsonNode run(String base, String id) throws Exception {
    return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id)).header("Authorization", "Bearer " + TOKEN)
        .build(), HttpResponse.BodyHandlers.ofString()).body());
  }
}
