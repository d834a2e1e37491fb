package org.kaoping.warehouse;

import java.util.Map;
import java.util.Set;

import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Tags that keep snapshots from expiry, so numbers computed from them can be reproduced by time
 * travel ({@code VERSION AS OF 'kaoping-build-<id>'}). A build tags the raw snapshots it read and the
 * snapshots it wrote; {@code kaoping maintain} releases the tags of builds beyond the retained ones
 * and never touches any other tag (publications, tags made by hand).
 *
 * <p>Tags are created without a maximum age, so Iceberg's expiry never removes the snapshot they name.
 */
public final class SnapshotTags {
  /** Prefix of the tags a build puts on its inputs and outputs. */
  public static final String BUILD_PREFIX = "kaoping-build-";

  /** Prefix of the tags a publication puts on every snapshot it read. */
  public static final String PUBLICATION_PREFIX = "kaoping-publication-";

  private SnapshotTags() {}

  /** The tag of publication {@code publicationId}. */
  public static String ofPublication(long publicationId) {
    return PUBLICATION_PREFIX + publicationId;
  }

  /** The tag of build {@code buildId}. */
  public static String ofBuild(String buildId) {
    return BUILD_PREFIX + buildId;
  }

  /**
   * Tags, in each table, the given snapshot as {@code tag}, one commit per table. A table that has
   * the tag already keeps it as it is; a snapshot that no longer exists is skipped.
   */
  public static void tag(WarehouseCatalog warehouse, String tag, Map<TableIdentifier, Long> snapshots) {
    snapshots.forEach((id, snapshotId) -> {
      if (snapshotId == null) {
        return;
      }
      Table table = warehouse.load(id);
      if (!table.refs().containsKey(tag) && table.snapshot(snapshotId) != null) {
        table.manageSnapshots().createTag(tag, snapshotId).commit();
      }
    });
  }

  /**
   * Tags, in each table, the given snapshot as {@code tag}, moving a tag that names another snapshot
   * (left by an unfinished run that reused the id), one commit per table that changes.
   */
  public static void retag(WarehouseCatalog warehouse, String tag, Map<TableIdentifier, Long> snapshots) {
    snapshots.forEach((id, snapshotId) -> {
      Table table = warehouse.load(id);
      SnapshotRef ref = table.refs().get(tag);
      if (ref == null) {
        table.manageSnapshots().createTag(tag, snapshotId).commit();
      } else if (ref.snapshotId() != snapshotId) {
        table.manageSnapshots().replaceTag(tag, snapshotId).commit();
      }
    });
  }

  /** Removes the build tags of {@code table} whose build is not in {@code keepBuildIds}; returns how many. */
  public static int releaseBuildsExcept(Table table, Set<String> keepBuildIds) {
    ManageSnapshots update = table.manageSnapshots();
    int released = 0;
    for (Map.Entry<String, SnapshotRef> ref : table.refs().entrySet()) {
      String name = ref.getKey();
      if (ref.getValue().isTag() && name.startsWith(BUILD_PREFIX)
          && !keepBuildIds.contains(name.substring(BUILD_PREFIX.length()))) {
        update.removeTag(name);
        released++;
      }
    }
    if (released > 0) {
      update.commit();
    }
    return released;
  }
}
