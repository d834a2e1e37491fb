package org.kaoping.dashboards.superset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Superset's REST API as one logged-in user. Writes carry the CSRF token and the session cookie of the same HTTP
 * session plus a Referer: Superset refuses a bearer token alone.
 */
public final class SupersetClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE_SIZE = 100;

  private final URI base;
  private final HttpClient http;
  private String accessToken;
  private String csrfToken;

  private SupersetClient(URI base) {
    this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Logs in with Superset's own user database; fails with one sentence on a refused login or no answer. */
  public static SupersetClient login(URI base, String user, String password) {
    SupersetClient client = new SupersetClient(base);
    ObjectNode body = JSON.createObjectNode().put("username", user).put("password", password).put("provider", "db")
        .put("refresh", true);
    HttpResponse<String> r = client.send(client.request("api/v1/security/login").header("Content-Type", "application/json").POST(publisher(body)));
    if (r.statusCode() == 401) {
      throw new SupersetException("Superset at " + base + " refused the login of user '" + user
          + "': wrong user name or password.");
    }
    client.accessToken = client.check(r, "log in").path("access_token").asText();
    client.csrfToken = client.check(client.send(client.request("api/v1/security/csrf_token/").GET()), "get a CSRF token")
        .path("result").asText();
    return client;
  }

  public URI base() {
    return base;
  }

  /** Imports an export bundle (idempotent by UUID: existing objects are overwritten). */
  public void importAssets(byte[] zip, Map<String, String> passwords) {
    String boundary = "kaoping-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    part(body, boundary, "bundle\"; filename=\"kaoping_dashboards.zip", "application/zip", zip);
    part(body, boundary, "overwrite", "text/plain", "true".getBytes(StandardCharsets.UTF_8));
    if (!passwords.isEmpty()) {
      part(body, boundary, "passwords", "application/json", json(passwords).getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    check(send(write("api/v1/assets/import/").header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))), "import the dashboard assets");
  }

  /** How many objects of {@code resource} ({@code chart}, {@code dashboard}, {@code dataset}) exist. */
  public int count(String resource) {
    return get("api/v1/" + resource + "/?q=(page:0,page_size:1)").path("count").asInt();
  }

  /** Every item of a paginated list endpoint, e.g. {@code api/v1/security/roles/}. */
  public List<JsonNode> list(String path) {
    List<JsonNode> all = new ArrayList<>();
    for (int page = 0; ; page++) {
      JsonNode r = get(path + "?q=(page:" + page + ",page_size:" + PAGE_SIZE + ")");
      r.path("result").forEach(all::add);
      if (r.path("result").size() < PAGE_SIZE) {
        return all;
      }
    }
  }

  public JsonNode get(String path) {
    return check(send(request(path).GET()), "read " + path);
  }

  public JsonNode post(String path, Object body) {
    return check(send(write(path).header("Content-Type", "application/json").POST(publisher(body))), "write " + path);
  }

  public JsonNode put(String path, Object body) {
    return check(send(write(path).header("Content-Type", "application/json").PUT(publisher(body))), "update " + path);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2))
        .header("Accept", "application/json");
    if (accessToken != null) {
      b.header("Authorization", "Bearer " + accessToken);
    }
    return b;
  }

  private HttpRequest.Builder write(String path) {
    return request(path).header("X-CSRFToken", csrfToken).header("Referer", base.toString());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    HttpRequest r = request.build();
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new SupersetException("Superset is not reachable at " + base + " (" + e.getClass().getSimpleName()
          + "); is it running, and is --superset-url right?", e);
    } catch (IOException e) {
      throw new SupersetException("Superset at " + base + " did not answer " + r.method() + " " + r.uri().getPath()
          + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SupersetException("interrupted while talking to Superset", e);
    }
  }

  /** The JSON body of a 2xx answer; otherwise Superset's own message in one sentence. */
  private JsonNode check(HttpResponse<String> r, String what) {
    if (r.statusCode() / 100 == 2) {
      try {
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
      } catch (IOException e) {
        throw new SupersetException("Superset at " + base + " answered " + what + " with something other than JSON: "
            + abbreviate(r.body()));
      }
    }
    throw new SupersetException("Superset at " + base + " refused to " + what + " (HTTP " + r.statusCode() + "): "
        + message(r.body()) + (r.statusCode() >= 500 ? " (the cause is in Superset's log)" : ""));
  }

  private static String message(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      if (n.has("errors") && n.get("errors").size() > 0) {
        List<String> parts = new ArrayList<>();
        for (JsonNode e : n.get("errors")) {
          parts.add(e.path("message").asText() + (e.path("extra").isMissingNode() ? "" : " " + e.get("extra")));
        }
        return String.join("; ", parts);
      }
      return n.has("message") ? n.get("message").toString() : abbreviate(body);
    } catch (IOException e) {
      return abbreviate(body.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").strip());
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
  }

  private static void part(ByteArrayOutputStream out, String boundary, String name, String type, byte[] content) {
    out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: "
        + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
  }

  private static HttpRequest.BodyPublisher publisher(Object body) {
    return HttpRequest.BodyPublishers.ofString(json(body), StandardCharsets.UTF_8);
  }

  private static String json(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
