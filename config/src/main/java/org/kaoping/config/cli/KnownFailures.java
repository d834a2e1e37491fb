package org.kaoping.config.cli;

import java.io.PrintWriter;

import org.kaoping.config.KaopingConfig.ConfigException;
import org.kaoping.delivery.serving.ServingPublisher;

import picocli.CommandLine;

/** How every Kaoping command line reports a failure: a known one in one sentence (exit 2), any other with its message (exit 1). */
public final class KnownFailures {
  private KnownFailures() {}

  /**
   * The handler for {@link CommandLine#setExecutionExceptionHandler}. {@code traceAlways}: print the stack trace of an
   * unknown failure every time (a cluster's driver log), else only when KAOPING_DEBUG is set.
   */
  public static CommandLine.IExecutionExceptionHandler handler(String command, boolean traceAlways) {
    return (e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (e instanceof ConfigException) {
        err.println(command + ": configuration error: " + e.getMessage());
        return 2;
      }
      if (e instanceof ServingPublisher.ServingRefused) {
        err.println(command + ": serving database: " + e.getMessage());
        return 2;
      }
      err.println(command + ": " + describe(e));
      if (traceAlways || System.getenv("KAOPING_DEBUG") != null) {
        e.printStackTrace(err);
      } else {
        err.println("(set KAOPING_DEBUG=1 for the stack trace)");
      }
      return 1;
    };
  }

  /** An exception's message, or its class's name when it has none. */
  public static String describe(Throwable e) {
    String msg = e.getMessage();
    return msg == null ? e.getClass().getSimpleName() : msg;
  }
}
