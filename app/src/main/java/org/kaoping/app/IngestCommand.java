package org.kaoping.app;

import java.util.concurrent.Callable;

import org.kaoping.warehouse.WarehouseCatalog;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Capture every configured source (sources, source.<name>.*) into the raw layer until each is quiet.",
        "The first run snapshots each source; later runs resume from the offset committed in the warehouse."})
final class IngestCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    KaopingConfig config = options.load();
    Pipeline pipeline = new Pipeline(config, System.out::println);
    Thread main = Thread.currentThread();
    Thread onSignal = new Thread(() -> {
      pipeline.stop();
      try {
        main.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "kaoping-stop");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try (WarehouseCatalog warehouse = pipeline.openWarehouse()) {
      pipeline.ingest(warehouse, null, null);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal); // finished normally: nothing to stop at exit
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it is what stopped us
      }
    }
    return 0;
  }
}
