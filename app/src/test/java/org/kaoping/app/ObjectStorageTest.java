package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kaoping.demo.DemoScale;
import org.kaoping.demo.SourceLoader;
import org.kaoping.demo.WorldGenerator;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * The warehouse on S3-compatible object storage (S3Mock, a separate process) through Iceberg's S3FileIO, its
 * table pointers in a JDBC catalog on PostgreSQL, credentials from the standard AWS environment variables: ingest
 * (initial load, then streamed changes) and build run as child processes given only those variables; a bucket that
 * does not exist, and credentials an object store refuses (S3Proxy, which checks them), stop the command naming the key.
 */
class ObjectStorageTest extends WithEmbeddedSources {
  private static final String BUCKET = "kaoping";
  private static final Map<String, String> CREDENTIALS = Map.of("AWS_ACCESS_KEY_ID", "kaoping-test",
      "AWS_SECRET_ACCESS_KEY", "kaoping-test-secret", "AWS_REGION", "us-east-1");
  private static S3Server s3;

  @BeforeAll
  static void startObjectStore() throws Exception {
    s3 = S3Server.start(dir.resolve("s3"), BUCKET);
    server.createDatabase("iceberg_catalog");
  }

  @AfterAll
  static void stopObjectStore() throws Exception {
    s3.close();
  }

  /** The catalog's configuration: nothing secret in it. */
  private static Map<String, String> catalog(String warehouse) {
    return Map.of("type", "jdbc", "uri", "jdbc:postgresql://127.0.0.1:" + server.port() + "/iceberg_catalog",
        "jdbc.user", "postgres", "warehouse", warehouse, "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
        "s3.endpoint", s3.endpoint(), "s3.path-style-access", "true");
  }

  @Override
  WarehouseCatalog openWarehouse() {
    Map<String, String> properties = new HashMap<>(catalog("s3://" + BUCKET + "/warehouse"));
    // the test's own reads, in this JVM without the variables: the same credentials as catalog properties
    properties.putAll(Map.of("s3.access-key-id", CREDENTIALS.get("AWS_ACCESS_KEY_ID"),
        "s3.secret-access-key", CREDENTIALS.get("AWS_SECRET_ACCESS_KEY"), "client.region", CREDENTIALS.get("AWS_REGION")));
    return WarehouseCatalog.open(properties);
  }

  @Test
  void ingestAndBuildOnObjectStorage() throws Exception {
    SourceLoader loader = new SourceLoader(WorldGenerator.generate(new DemoScale(5, 2, 2025), WorkingCalendar.builtIn()));
    LocalDateTime asOf = LocalDateTime.of(2025, 1, 1, 0, 0);
    advance(loader, null, asOf);
    asOf = streamMonths(loader, asOf, 1);
    run("ingest"); // the initial load
    streamMonths(loader, asOf, 1);
    run("ingest"); // the changes since, streamed
    run("build", "--set", "spark.master=local[2]");

    assertNoDuplicatePositions("worklog_work_log");
    assertStagingEqualsSource();
    try (WarehouseCatalog w = openWarehouse()) {
      for (String table : List.of("raw.worklog_work_log", "ops.ingest_checkpoint", "staging.work_log", "mart.metrics_by_period")) {
        String location = w.load(org.apache.iceberg.catalog.TableIdentifier.parse(table)).location();
        assertTrue(location.startsWith("s3://" + BUCKET + "/warehouse/"), table + " is in the bucket: " + location);
      }
    }
    try (Stream<Path> objects = Files.walk(dir.resolve("s3").resolve("objects"))) {
      assertTrue(objects.filter(Files::isRegularFile).count() > 100, "the object store holds the tables' files");
    }
    assertFalse(Files.exists(dir.resolve("warehouse")), "nothing went to the home's directory catalog");
  }

  @Test
  void aMissingBucketIsNamedWithItsKey() {
    List<String> args = new ArrayList<>(List.of("ingest", "--home", dir.resolve("no-bucket").toString(), "--set", "sources=worklog",
        "--set", "source.worklog.port=" + server.port()));
    catalog("s3://no-such-bucket/warehouse").forEach((k, v) -> args.addAll(List.of("--set", "warehouse.catalog." + k + "=" + v)));
    // in this JVM, without the variables: the credentials as catalog properties
    args.addAll(List.of("--set", "warehouse.catalog.s3.access-key-id=kaoping-test", "--set",
        "warehouse.catalog.s3.secret-access-key=kaoping-test-secret", "--set", "warehouse.catalog.client.region=us-east-1"));
    StringWriter err = new StringWriter();
    var cli = Kaoping.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args.toArray(String[]::new));
    assertEquals(2, exit, err.toString());
    assertTrue(err.toString().contains("The bucket 'no-such-bucket' of the warehouse s3://no-such-bucket/warehouse does not exist")
        && err.toString().contains("create it, or set 'warehouse.catalog.warehouse'"), err.toString());
    assertFalse(err.toString().contains("kaoping-test-secret"), "never prints the secret: " + err);
    assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
  }

  @Test
  void refusedCredentialsAreNamedWithTheirKey() throws Exception {
    try (S3ProxyServer checking = S3ProxyServer.start(dir.resolve("s3proxy"), BUCKET, "kaoping-test", "kaoping-test-secret")) {
      Map<String, String> catalog = new HashMap<>(catalog("s3://" + BUCKET + "/refused"));
      catalog.put("s3.endpoint", checking.endpoint());
      catalog.putAll(Map.of("s3.access-key-id", "kaoping-test", "client.region", "us-east-1"));
      catalog.put("s3.secret-access-key", "kaoping-test-secret");
      WarehouseCatalog.open(catalog).close(); // the right secret passes the check every command makes first

      List<String> args = new ArrayList<>(List.of("build", "--home", dir.resolve("refused").toString()));
      catalog.put("s3.secret-access-key", "not-the-secret");
      catalog.forEach((k, v) -> args.addAll(List.of("--set", "warehouse.catalog." + k + "=" + v)));
      StringWriter err = new StringWriter();
      var cli = Kaoping.commandLine();
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute(args.toArray(String[]::new));
      assertEquals(2, exit, err.toString());
      assertTrue(err.toString().contains("The object store at " + checking.endpoint() + " refused the credentials for s3://"
          + BUCKET + "/refused") && err.toString().contains("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or"
          + " 'warehouse.catalog.s3.access-key-id' and 's3.secret-access-key') to ones it accepts"), err.toString());
      assertEquals(1, err.toString().strip().lines().count(), "one sentence: " + err);
      assertFalse(err.toString().contains("not-the-secret"), "never prints the secret: " + err);
    }
  }

  /** Runs {@code kaoping command…} in a child JVM whose environment holds the credentials, and expects success. */
  private void run(String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of("--home", dir.toString(), "--set", "sources=worklog", "--set", "source.worklog.port=" + server.port()));
    catalog("s3://" + BUCKET + "/warehouse").forEach((k, v) -> args.addAll(List.of("--set", "warehouse.catalog." + k + "=" + v)));
    Path log = dir.resolve(command[0] + ".log");
    Process p = ChildKaoping.start(log, List.of(), CREDENTIALS, args.toArray(String[]::new));
    try {
      assertTrue(p.waitFor(10, TimeUnit.MINUTES), "kaoping " + command[0] + " ends");
    } finally {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    System.out.println(output);
    assertEquals(0, p.exitValue(), "kaoping " + command[0] + " succeeds:\n" + output);
  }
}
