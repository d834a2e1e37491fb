package org.kaoping.warehouse;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.Optional;

import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A catalog or warehouse location that cannot be used because of one of the catalog's properties: which property,
 * what went wrong and the fix, so the command that opened it can name its own configuration key
 * ({@code warehouse.catalog.<property>}).
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

  /** The catalog property at fault ({@code uri}, {@code credential}, {@code warehouse}, {@code s3.endpoint}, …). */
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

  /** What a failure to write to the warehouse's object store means, when a property explains it; empty otherwise. */
  static Optional<CatalogUnavailable> explainStorage(Map<String, String> properties, Exception e) {
    String location = properties.get("warehouse");
    String endpoint = properties.getOrDefault("s3.endpoint", "AWS");
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof NoSuchBucketException) {
        return Optional.of(new CatalogUnavailable("warehouse", "The bucket '" + URI.create(location).getHost()
            + "' of the warehouse " + location + " does not exist at " + endpoint,
            "create it, or set %s to a location in a bucket that exists", e));
      }
      if (t instanceof S3Exception s3 && (s3.statusCode() == 403 || s3.statusCode() == 401)) {
        return Optional.of(new CatalogUnavailable("s3.access-key-id", "The object store at " + endpoint
            + " refused the credentials for " + location + " (" + s3.awsErrorDetails().errorCode() + ")",
            "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or %s and 's3.secret-access-key') to ones it accepts", e));
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
        return Optional.of(new CatalogUnavailable("s3.endpoint", "Cannot reach the object store at " + endpoint
            + " (" + t.getMessage() + ")", "start it, or set %s to its address", e));
      }
      if (t instanceof SdkClientException && String.valueOf(t.getMessage()).contains("Unable to load credentials")) {
        return Optional.of(new CatalogUnavailable("s3.access-key-id", "No credentials for the object store at " + endpoint,
            "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or %s and 's3.secret-access-key')", e));
      }
      if (t instanceof SdkClientException && String.valueOf(t.getMessage()).contains("Unable to load region")) {
        return Optional.of(new CatalogUnavailable("client.region", "No region for the object store at " + endpoint,
            "set AWS_REGION (or %s)", e));
      }
    }
    return Optional.empty();
  }

  private static String kind(Map<String, String> properties) {
    String type = properties.getOrDefault("type", "custom");
    return "rest".equals(type) ? "REST" : type;
  }
}
