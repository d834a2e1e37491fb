package org.kaoping.app;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: the whole pipeline beside its peers (pipeline), freshness of a running service (freshness).",
    subcommands = {PipelineBenchCommand.class, FreshnessBench.class})
final class BenchCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("Use 'kaoping bench pipeline' or 'kaoping bench freshness' (see --help).");
  }
}
