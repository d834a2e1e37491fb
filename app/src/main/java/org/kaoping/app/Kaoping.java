package org.kaoping.app;

import org.kaoping.config.cli.KnownFailures;

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
        RemindCommand.class, ReportCommand.class, ReproduceCommand.class, ServeCommand.class, UpCommand.class, DashboardsCommand.class,
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
    cli.setExecutionExceptionHandler(KnownFailures.handler("kaoping", false));
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
}
