package org.kaoping.sparkapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The Spark application's command line: the kaoping command's options and failure sentences, before any Spark starts. */
class SparkAppTest {
  @TempDir Path home;

  @Test
  void publishWithoutAServingDatabaseNamesTheKey() {
    Run run = run("publish", "--home", home.toString());
    assertEquals(2, run.exit, run.err);
    assertTrue(run.err.startsWith("kaoping: configuration error: Configuration key 'serving.jdbc-url' is not set"), run.err);
  }

  @Test
  void anUnknownKeyStopsTheBuildWithOneSentence() {
    Run run = run("build", "--home", home.toString(), "--set", "no.such-key=1");
    assertEquals(2, run.exit, run.err);
    assertTrue(run.err.startsWith("kaoping: configuration error: ") && run.err.contains("no.such-key"), run.err);
    assertEquals(1, run.err.strip().lines().count(), "one sentence, no stack trace: " + run.err);
  }

  @Test
  void theSubmittedMasterIsTheDefaultThatSetOverrides() {
    String before = System.getProperty("spark.master");
    System.setProperty("spark.master", "spark://submitted:7077");
    try {
      assertEquals("spark://submitted:7077", master("build"));
      assertEquals("local[1]", master("build", "--set", "spark.master=local[1]"));
    } finally {
      if (before == null) {
        System.clearProperty("spark.master");
      } else {
        System.setProperty("spark.master", before);
      }
    }
  }

  private String master(String... args) {
    CommandLine cli = SparkApp.commandLine();
    cli.parseArgs(args);
    SparkApp.Build build = cli.getSubcommands().get("build").getCommand();
    return build.options.load(SparkApp.submittedMaster()).warehouse().sparkMaster();
  }

  private record Run(int exit, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = SparkApp.commandLine();
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, err.toString());
  }
}
