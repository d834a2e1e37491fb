package org.kaoping.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of one area of the configuration (warehouse, sources, serving, feed, service, …): declaring a key with
 * {@link #add} registers it, so the area's keys are listed, validated and explained from their declarations alone.
 */
public final class ConfigArea {
  private final String name;
  private final List<ConfigKey<?>> keys = new ArrayList<>();

  public ConfigArea(String name) {
    this.name = name;
  }

  /** Registers {@code key} in this area and returns it. */
  public synchronized <T> ConfigKey<T> add(ConfigKey<T> key) {
    keys.add(key);
    return key;
  }

  public String name() {
    return name;
  }

  /** The area's keys in the order they were declared. */
  public synchronized List<ConfigKey<?>> keys() {
    return List.copyOf(keys);
  }
}
