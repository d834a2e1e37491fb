package org.kaoping.app;

import java.io.PrintWriter;

import org.kaoping.config.KaopingConfig.ConfigException;
import org.kaoping.delivery.serving.ServingPublisher;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code kaoping} command. */
@Command(name = "kaoping", mixinStandardHelpOptions = true, version = "kaoping 0.1.0",
    description = {
        "Duty-performance evaluation warehouse: captures the work-log and approval systems into Apache Iceberg",
        "and computes workload, fill and review metrics per person, section and unit.",
        "",
        "Start with 'kaoping demo': it runs everything on one machine with generated data."},
    subcommands = {DemoCommand.class, GenerateCommand.class, IngestCommand.class, BuildCommand.class, PublishCommand.class, FeedCommand.class,
        ReportCommand.class, ReproduceCommand.class, ServeCommand.class, UpCommand.class, DashboardsCommand.class,
        BenchCommand.class, ReconcileCommand.class, MaintainCommand.class, ConfigCommand.class,
        CommandLine.HelpCommand.class})
public final class Kaoping {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Kaoping's error handling: known failures print one sentence, not a stack trace. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Kaoping());
    HelpParagraphs.apply(cli);
    cli.setExecutionStrategy(Kaoping::rejectUnmatchedThenRun);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (e instanceof ConfigException) {
        err.println("kaoping: configuration error: " + e.getMessage());
        return 2;
      }
      if (e instanceof ServingPublisher.ServingRefused) {
        err.println("kaoping: serving database: " + e.getMessage());
        return 2;
      }
      err.println("kaoping: " + describe(e));
      if (System.getenv("KAOPING_DEBUG") != null) {
        e.printStackTrace(err);
      } else {
        err.println("(set KAOPING_DEBUG=1 for the stack trace)");
      }
      return 1;
    });
    return cli;
  }

  /** picocli lets a help option excuse unmatched words ('kaoping nosuch --help' printed the top help): they are an error. */
  private static int rejectUnmatchedThenRun(ParseResult parseResult) {
    for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (!level.unmatched().isEmpty()) {
        throw new UnmatchedArgumentException(level.commandSpec().commandLine(), level.unmatched());
      }
    }
    return new CommandLine.RunLast().execute(parseResult);
  }

  static String describe(Throwable e) {
    String msg = e.getMessage();
    return msg == null ? e.getClass().getSimpleName() : msg;
  }
}
