package org.kaoping.app;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = {"Measure the pipeline beside its peers, or freshness.",
        "pipeline: every step beside Debezium and DuckDB in one run; freshness: a running service's delay to readers."},
    subcommands = {PipelineBenchCommand.class, FreshnessBench.class})
final class BenchCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("Use 'kaoping bench pipeline' or 'kaoping bench freshness' (see --help).");
  }
}
