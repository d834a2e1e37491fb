package org.kaoping.app.service;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.demo.EmbeddedSourceServer;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

/**
 * What the service's runs share: the configuration, the warehouse, the Spark session, the embedded sources server (null
 * when the sources are configured), the serving database (configured or embedded) and whether the service is stopping.
 */
record RunContext(KaopingConfig config, WarehouseCatalog warehouse, ServiceSpark spark, EmbeddedSourceServer server,
    ServingPublisher.Target servingTarget, BooleanSupplier stopping) {

  /** Takes a warehouse lock, waiting (and saying who holds it) while another run has it; gives up when the service stops. */
  WarehouseLock awaitLock(WarehouseLock.Kind kind, String command, Consumer<String> progress) throws InterruptedException {
    String said = null;
    while (true) {
      try {
        return WarehouseLock.acquire(config.home(), kind, command);
      } catch (WarehouseLock.Busy e) {
        if (!e.getMessage().equals(said)) {
          progress.accept("waiting: " + e.getMessage());
          said = e.getMessage();
        }
      }
      if (stopping.getAsBoolean()) {
        throw new InterruptedException("the service stopped while the run waited for the " + kind.name().toLowerCase() + " lock");
      }
      Thread.sleep(500);
    }
  }
}
