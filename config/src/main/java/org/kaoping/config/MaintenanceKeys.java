package org.kaoping.config;

import java.time.Duration;

import org.kaoping.jobs.WarehouseMaintenance.Policy;

/** What {@code kaoping maintain} keeps: snapshots and files of every table. */
public final class MaintenanceKeys {
  public static final ConfigArea AREA = new ConfigArea("maintain");
  public static final ConfigKey<Duration> RETENTION = AREA.add(ConfigKey.hours("maintain.snapshot-retention-hours",
      Policy.SNAPSHOT_RETENTION_HOURS_DEFAULT,
      "A snapshot is expired once it has been superseded this long (a reader on it has that long to finish); tagged ones never")
      .check(d -> !d.isNegative(), "must be at least 0"));
  public static final ConfigKey<Integer> KEEP_SNAPSHOTS = AREA.add(ConfigKey.integer("maintain.keep-snapshots",
      Policy.KEEP_SNAPSHOTS_DEFAULT, "Newest snapshots of each table kept however old (at least 1)")
      .check(n -> n >= 1, "must be at least 1"));
  public static final ConfigKey<Integer> KEEP_BUILDS = AREA.add(ConfigKey.integer("maintain.keep-builds",
      Policy.KEEP_BUILDS_DEFAULT,
      "Latest builds whose input and output snapshots stay tagged (kaoping-build-<id>) and are never expired")
      .check(n -> n >= 0, "must be at least 0"));
  public static final ConfigKey<Duration> ORPHAN_MIN_AGE = AREA.add(ConfigKey.hours("maintain.orphan-min-age-hours",
      Policy.ORPHAN_MIN_AGE_HOURS_DEFAULT,
      "Files no snapshot references are deleted only once this old: a writer may be about to commit a younger one (keep >= 24)")
      .check(d -> !d.isNegative(), "must be at least 0"));

  private MaintenanceKeys() {}

  public static Policy bind(KaopingConfig config) {
    return new Policy(config.get(RETENTION), config.get(KEEP_SNAPSHOTS), config.get(KEEP_BUILDS), config.get(ORPHAN_MIN_AGE));
  }
}
