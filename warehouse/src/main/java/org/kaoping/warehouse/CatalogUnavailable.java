package org.kaoping.warehouse;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.Optional;

import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;

/**
 * A catalog that cannot be used because of one of its properties: which property, what went wrong and the fix,
 * so the command that opened it can name its own configuration key ({@code warehouse.catalog.<property>}).
 */
public final class CatalogUnavailable extends IllegalArgumentException {
  private final String property;
  private final String problem;
  private final String fix;

  CatalogUnavailable(String property, String problem, String fix, Throwable cause) {
    super(problem + ": " + fix.replace("%s", "'" + property + "'"), cause);
    this.property = property;
    this.problem = problem;
    this.fix = fix;
  }

  /** The catalog property at fault ({@code uri}, {@code credential}, {@code warehouse}). */
  public String property() {
    return property;
  }

  /** One sentence naming {@code key}, the configuration key that set {@link #property()}. */
  public String sentence(String key) {
    return problem + ": " + fix.replace("%s", "'" + key + "'") + ".";
  }

  /** What a failure to open or use the catalog means, when it is one a property explains; empty otherwise. */
  static Optional<CatalogUnavailable> explain(Map<String, String> properties, RuntimeException e) {
    String uri = properties.getOrDefault("uri", "(no uri)");
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
          || t instanceof HttpTimeoutException) {
        return Optional.of(new CatalogUnavailable("uri", "Cannot reach the Iceberg " + kind(properties) + " catalog at " + uri
            + " (" + t.getMessage() + ")", "start it, or set %s to its address", e));
      }
      if (t instanceof NotAuthorizedException || t instanceof ForbiddenException) {
        return Optional.of(new CatalogUnavailable("credential", "The Iceberg " + kind(properties) + " catalog at " + uri
            + " refused the credentials (" + t.getMessage() + ")", "set %s (or 'token') to ones it accepts", e));
      }
    }
    return Optional.empty();
  }

  private static String kind(Map<String, String> properties) {
    String type = properties.getOrDefault("type", "custom");
    return "rest".equals(type) ? "REST" : type;
  }
}
