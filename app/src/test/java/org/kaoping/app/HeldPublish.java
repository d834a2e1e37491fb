package org.kaoping.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.spark.sql.SparkSession;
import org.kaoping.config.KaopingConfig;
import org.kaoping.delivery.serving.BeforeSwitch;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.warehouse.WarehouseCatalog;
import org.kaoping.warehouse.WarehouseLock;

/**
 * A child JVM's {@code kaoping publish --full} that, through the publisher's {@link BeforeSwitch} seam, says when
 * its publication is ready to switch and then holds until the test kills it. Arguments: {@code KEY=VALUE} settings.
 */
final class HeldPublish {
  private HeldPublish() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String a : args) {
      settings.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    KaopingConfig config = KaopingConfig.load(null, settings);
    Pipeline pipeline = new Pipeline(config, System.out::println);
    CountDownLatch killed = new CountDownLatch(1); // never counted down: only the kill ends the hold
    BeforeSwitch hold = id -> {
      System.out.println("serving: publication " + id + " is ready to switch (holding)");
      try {
        killed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while holding", e);
      }
    };
    try (WarehouseLock lock = WarehouseLock.acquire(config.home(), WarehouseLock.Kind.BUILD, "kaoping publish");
         WarehouseCatalog warehouse = pipeline.openWarehouse(); SparkSession spark = pipeline.spark()) {
      new ServingPublisher(spark, warehouse, config.scoringScheme(), Serving.configured(config), System.out::println, hold)
          .publish(true);
    }
  }
}
