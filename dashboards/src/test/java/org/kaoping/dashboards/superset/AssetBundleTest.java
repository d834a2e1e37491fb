package org.kaoping.dashboards.superset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetBundleTest {
  private static final Path ASSETS = Path.of("assets");

  @Test
  void theCommittedAssetsHoldOneFilePerUuid() {
    assertEquals(4, AssetBundle.fromDirectory(ASSETS).dashboardSlugs().size());
  }

  /** Found in a working tree: a dataset renamed in the assets, its old file still in target/classes, won the import. */
  @Test
  void aStaleCopyOfARenamedAssetIsRefusedWithWhatToDo(@TempDir Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(ASSETS)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Path target = dir.resolve(ASSETS.relativize(p).toString());
        Files.createDirectories(target.getParent());
        Files.copy(p, target);
      }
    }
    Path datasets = dir.resolve("datasets/kaoping_serving");
    Files.copy(datasets.resolve("unit_ranking.yaml"), datasets.resolve("unit_score_by_period.yaml"));
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> AssetBundle.fromDirectory(dir));
    assertTrue(refused.getMessage().contains("unit_ranking.yaml") && refused.getMessage().contains("unit_score_by_period.yaml")
        && refused.getMessage().contains("mvn clean"), refused.getMessage());
  }
}
