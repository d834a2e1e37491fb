package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code kaoping dashboards leader} logs in to Superset as {@code up} does: KAOPING_SUPERSET_PASSWORD first, else the
 * admin password {@code up} kept in the home; without either it says where it looked. Superset is a stand-in
 * that records the login and refuses it, so no Superset runs.
 */
class LeaderCommandTest {
  @TempDir Path home;
  private HttpServer superset;
  private final List<JsonNode> logins = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startStandIn() throws Exception {
    superset = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    superset.createContext("/api/v1/security/login", exchange -> {
      logins.add(new ObjectMapper().readTree(exchange.getRequestBody()));
      byte[] body = "{\"message\":\"Not authorized\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    superset.start();
  }

  @AfterEach
  void stopStandIn() {
    superset.stop(0);
  }

  @Test
  void usesThePasswordUpKeptInTheHome() throws Exception {
    keep("kept-by-up");
    Outcome o = leader("");
    assertEquals(1, o.exit(), o.output());
    assertEquals(1, logins.size(), "one login: " + logins);
    assertEquals("admin", logins.get(0).path("username").asText());
    assertEquals("kept-by-up", logins.get(0).path("password").asText());
    assertTrue(o.output().contains("refused the login of user 'admin'"), o.output());
  }

  @Test
  void theEnvironmentComesFirst() throws Exception {
    keep("kept-by-up");
    Outcome o = leader("from-the-environment");
    assertEquals(1, o.exit(), o.output());
    assertEquals("from-the-environment", logins.get(0).path("password").asText());
  }

  @Test
  void withoutAPasswordItSaysWhereItLookedAndWhatToSet() throws Exception {
    Outcome o = leader("");
    assertEquals(2, o.exit(), o.output());
    assertTrue(logins.isEmpty(), "no login tried: " + logins);
    assertTrue(o.output().contains("configuration error: No Superset password"), o.output());
    assertTrue(o.output().contains(home.resolve("superset").resolve("admin-password").toString()), "names the file: " + o.output());
    assertTrue(o.output().contains("Set KAOPING_SUPERSET_PASSWORD"), o.output());
    assertFalse(o.output().contains("\tat "), "no stack trace: " + o.output());
  }

  private record Outcome(int exit, String output) {}

  private void keep(String password) throws Exception {
    Files.createDirectories(home.resolve("superset"));
    Files.writeString(home.resolve("superset").resolve("admin-password"), password + "\n");
  }

  /** {@code kaoping dashboards leader} in a child JVM, whose environment the test sets (empty: not set). */
  private Outcome leader(String supersetPassword) throws Exception {
    Path log = home.resolve("leader-" + System.nanoTime() + ".log");
    Process p = ChildKaoping.start(log, List.of(), Map.of("KAOPING_LEADER_PASSWORD", "leader-pw",
            "KAOPING_SUPERSET_PASSWORD", supersetPassword, "KAOPING_SUPERSET_USER", "admin"),
        "dashboards", "leader", "--home", home.toString(), "--superset-url",
        "http://127.0.0.1:" + superset.getAddress().getPort() + "/", "--unit", "7", "--user", "zhang_san");
    try {
      assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the command ends");
    } finally {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    System.out.print(output);
    return new Outcome(p.exitValue(), output);
  }
}
