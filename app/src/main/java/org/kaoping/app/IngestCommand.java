package org.kaoping.app;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

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
    CountDownLatch finished = new CountDownLatch(1);
    Thread onSignal = new Thread(() -> {
      pipeline.stop(); // SIGTERM / Ctrl-C: let the batch in hand commit or drop whole, then close the engine
      try {
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "kaoping-stop");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try (WarehouseLock lock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.INGEST, "kaoping ingest");
         WarehouseCatalog warehouse = pipeline.openWarehouse()) {
      pipeline.ingest(warehouse, null, null);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal); // finished normally: nothing to stop at exit
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it is what stopped us
      }
    }
    return 0;
  }
}
