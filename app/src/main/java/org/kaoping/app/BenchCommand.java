package org.kaoping.app;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks of a running 'kaoping serve'.",
    subcommands = FreshnessBench.class)
final class BenchCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("Use 'kaoping bench freshness' (see --help).");
  }
}
