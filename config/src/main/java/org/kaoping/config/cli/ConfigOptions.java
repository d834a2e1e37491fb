package org.kaoping.config.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.kaoping.config.KaopingConfig;
import org.kaoping.config.WarehouseSettings;

import picocli.CommandLine.Option;

/** The options every command line of Kaoping shares (the kaoping command's and the Spark application's): where the configuration comes from. */
public final class ConfigOptions {
  static final Path DEFAULT_FILE = Path.of("kaoping.properties");

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Configuration file (default: ./kaoping.properties if present, else built-in defaults).")
  Path file;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one configuration key; repeatable. 'kaoping config' lists the keys.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--home", paramLabel = "DIR", description = "Directory for local state (key 'home'; default: ./kaoping-data).")
  Path home;

  /** The configuration from the file, then {@code --set}, then {@code --home}. */
  public KaopingConfig load() {
    return load(Map.of());
  }

  /** As {@link #load()}, with {@code underneath} applied before the command line's own keys, which win over it. */
  public KaopingConfig load(Map<String, String> underneath) {
    Map<String, String> all = new LinkedHashMap<>(underneath);
    all.putAll(overrides);
    if (home != null) {
      all.put(WarehouseSettings.HOME.name(), home.toString());
    }
    Path f = file != null ? file : Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null;
    return KaopingConfig.load(f, all);
  }
}
