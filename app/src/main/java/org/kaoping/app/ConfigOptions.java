package org.kaoping.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

import org.kaoping.config.KaopingConfig;
import org.kaoping.config.WarehouseSettings;

/** Options every command shares: where the configuration comes from. */
final class ConfigOptions {
  static final Path DEFAULT_FILE = Path.of("kaoping.properties");

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Configuration file (default: ./kaoping.properties if present, else built-in defaults).")
  Path file;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one configuration key; repeatable. 'kaoping config' lists the keys.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--home", paramLabel = "DIR", description = "Directory for local state (key 'home'; default: ./kaoping-data).")
  Path home;

  KaopingConfig load() {
    Map<String, String> all = new LinkedHashMap<>(overrides);
    if (home != null) {
      all.put(WarehouseSettings.HOME.name(), home.toString());
    }
    Path f = file != null ? file : Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null;
    return KaopingConfig.load(f, all);
  }
}
