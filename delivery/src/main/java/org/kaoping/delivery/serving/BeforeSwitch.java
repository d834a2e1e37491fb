package org.kaoping.delivery.serving;

/**
 * Called when a publication is written and checked, just before readers are switched to it: a seam for tests that
 * hold or kill a publish at that point. Production passes {@link #NONE}.
 */
@FunctionalInterface
public interface BeforeSwitch {
  /** Does nothing: the publish switches at once. */
  BeforeSwitch NONE = publicationId -> {};

  /** Runs before publication {@code publicationId} becomes visible; an exception stops the publish unswitched. */
  void ready(long publicationId);
}
