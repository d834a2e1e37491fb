package org.kaoping.app.service;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import io.javalin.validation.ValidationException;

import org.kaoping.config.ServiceSettings;

/**
 * The control API (openapi.yaml beside this class is its description): runs, status, metrics, health.
 * Every route but {@code GET /health} needs the bearer token: each route declares its {@link Access}, checked once
 * before the matched handler.
 */
final class ControlApi implements AutoCloseable {
  static final String OPENAPI_RESOURCE = "openapi.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UNAUTHORIZED = "unauthorized";

  /** A route as registered: method and path (Javalin's {param} syntax, as in the OpenAPI document). */
  record Route(String method, String path) {}

  /** Who may call a route. */
  enum Access implements RouteRole {
    /** Anyone: the health check of a load balancer or orchestrator. */
    ANYONE,
    /** Callers with the bearer token. */
    TOKEN
  }

  private final ServiceSettings settings;
  private final Runs runs;
  private final ServiceStatus status;
  private final byte[] tokenDigest;
  private final List<Route> routes = new ArrayList<>();
  private final Javalin app;
  private final String openApi;

  ControlApi(ServiceSettings settings, Runs runs, ServiceStatus status) {
    this.settings = settings;
    this.runs = runs;
    this.status = status;
    this.tokenDigest = sha256(settings.token());
    this.openApi = openApiDocument();
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      // the plain mapper the API always used: Javalin's default one would add modules that change the output
      config.jsonMapper(new JavalinJackson(JSON, false));
      config.validation.register(RunKind.class, k -> RunKind.parse(k).orElseThrow());
      config.validation.register(Run.State.class, s -> Run.State.valueOf(s.toUpperCase(java.util.Locale.ROOT)));
      config.events.handlerAdded(h -> {
        if (h.getHttpMethod().isHttpMethod()) {
          routes.add(new Route(h.getHttpMethod().name().toLowerCase(java.util.Locale.ROOT), h.getPath()));
        }
      });
      config.router.apiBuilder(() -> {
        get("/health", this::health, Access.ANYONE);
        get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi), Access.TOKEN);
        get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(status.prometheus()),
            Access.TOKEN);
        path("/api", () -> {
          get("/status", ctx -> ctx.json(status.document()), Access.TOKEN);
          path("/runs", () -> {
            post(this::submit, Access.TOKEN);
            get(this::list, Access.TOKEN);
            get("/{id}", this::show, Access.TOKEN);
          });
        });
      });
    });
    app.beforeMatched(ctx -> {
      if (!ctx.routeRoles().contains(Access.ANYONE) && !authorized(ctx)) {
        throw new UnauthorizedResponse(UNAUTHORIZED);
      }
    });
    app.exception(HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus()).json(Map.of("error", e.getMessage())));
    app.exception(RunRequest.Invalid.class,
        (e, ctx) -> ctx.status(400).json(Map.of("error", e.getMessage(), "field", e.field)));
    app.exception(Runs.InProgress.class, (e, ctx) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("error", e.getMessage());
      m.put("running", e.running.toMap());
      ctx.status(409).json(m);
    });
    app.exception(ValidationException.class, ControlApi::invalidQuery);
    app.exception(Runs.Stopping.class, (e, ctx) -> ctx.status(503).json(Map.of("error", e.getMessage())));
    app.error(404, ctx -> {
      if (ctx.routeRoles().isEmpty()) { // no route matched: without the token, say nothing more
        if (authorized(ctx)) {
          ctx.json(Map.of("error", "no route " + ctx.method() + " " + ctx.path()));
        } else {
          ctx.status(401).json(Map.of("error", UNAUTHORIZED));
        }
      }
    });
  }

  /** Every route this API registers. */
  List<Route> routes() {
    return List.copyOf(routes);
  }

  void start() {
    app.start(settings.host(), settings.port());
  }

  int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  /** Whether the request carries the token; digests first: equal lengths, so the comparison's time says nothing. */
  private boolean authorized(Context ctx) {
    String header = ctx.header("Authorization");
    String given = header != null && header.startsWith("Bearer ") ? header.substring(7).strip() : "";
    return MessageDigest.isEqual(tokenDigest, sha256(given));
  }

  private void health(Context ctx) {
    boolean up = status.serving();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "UP" : "STOPPING");
    body.put("running", runs.running().keySet().stream().map(RunKind::apiName).sorted().toList());
    ctx.status(up ? 200 : 503).json(body);
  }

  private void submit(Context ctx) {
    JsonNode body;
    try {
      body = ctx.body().isBlank() ? null : ctx.bodyAsClass(JsonNode.class);
    } catch (Exception e) { // the mapper's JsonProcessingException, unchecked through Kotlin
      throw new RunRequest.Invalid("body", "the body is not valid JSON: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    ctx.status(202).json(runs.submit(RunRequest.parse(body)).toMap());
  }

  /** What each query parameter of GET /api/runs must be: the sentence of a 400 answer, before the value given. */
  private static final Map<String, String> QUERY_RULES = Map.of(
      "kind", "query parameter kind must be one of " + RunKind.apiNames(),
      "state", "query parameter state must be running, succeeded or failed",
      "requestKey", "query parameter requestKey must be 1 to 200 characters of letters, digits and . _ : + / @ ~ -",
      "limit", "query parameter limit must be a whole number from 1 to 1000");

  private void list(Context ctx) {
    RunKind kind = ctx.queryParamAsClass("kind", RunKind.class).allowNullable().get();
    Run.State state = ctx.queryParamAsClass("state", Run.State.class).allowNullable().get();
    String requestKey = ctx.queryParamAsClass("requestKey", String.class).allowNullable()
        .check(k -> k == null || k.matches(RunRequest.REQUEST_KEY_PATTERN), QUERY_RULES.get("requestKey")).get();
    int limit = ctx.queryParamAsClass("limit", Integer.class)
        .check(l -> l >= 1 && l <= 1000, QUERY_RULES.get("limit")).getOrDefault(20);
    ctx.json(Map.of("runs", runs.store().list(kind, state, requestKey, limit).stream().map(Run::toMap).toList()));
  }

  /** A query parameter that failed conversion or its check: one sentence naming it and the value given. */
  private static void invalidQuery(ValidationException e, Context ctx) {
    String field = e.getErrors().keySet().iterator().next();
    ctx.status(400).json(Map.of("error", QUERY_RULES.get(field) + ", was '" + ctx.queryParam(field) + "'", "field", field));
  }

  private void show(Context ctx) {
    String id = ctx.pathParam("id");
    Run r = runs.store().get(id);
    if (r == null) {
      throw new NotFoundResponse("no run " + id);
    }
    ctx.json(r.toMap());
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The committed OpenAPI document, served as it is. */
  static String openApiDocument() {
    try (InputStream in = ControlApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
