package org.kaoping.dashboards.superset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Superset's export format without its zip prefix: {@code metadata.yaml}, {@code databases/}, {@code datasets/},
 * {@code charts/}, {@code dashboards/}, one YAML file per object, linked by UUID, no password committed. The
 * database's connection string is filled in at deploy time.
 */
public final class AssetBundle {
  /** Where the built-in bundle ({@code dashboards/assets} of the repository) sits on the classpath. */
  public static final String RESOURCE_ROOT = "org/kaoping/dashboards/assets/";
  private static final String ZIP_PREFIX = "kaoping_dashboards/";
  private static final Pattern URI_LINE = Pattern.compile("(?m)^sqlalchemy_uri:.*$");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, byte[]> files;
  /** Each file parsed once, when first asked for (a deploy asks for the dashboards and charts once per dashboard). */
  private final Map<String, JsonNode> parsed = new HashMap<>();

  private AssetBundle(Map<String, byte[]> files) {
    if (!files.containsKey("metadata.yaml")) {
      throw new IllegalArgumentException("the dashboard asset bundle has no metadata.yaml");
    }
    this.files = files;
    database(); // exactly one database, or fail now
    oneFilePerUuid();
  }

  /** Two files of one UUID: Superset keeps whichever it imports last, so a renamed asset's stale copy would win. */
  private void oneFilePerUuid() {
    Map<String, String> byUuid = new HashMap<>();
    for (String path : files.keySet()) {
      String uuid = path.equals("metadata.yaml") ? "" : yaml(path).path("uuid").asText();
      String other = uuid.isEmpty() ? null : byUuid.putIfAbsent(uuid, path);
      if (other != null) {
        throw new IllegalArgumentException("the dashboard asset bundle holds " + other + " and " + path + " with one UUID "
            + uuid + ": one is a stale copy (a renamed asset left in a build's output: run 'mvn clean' and build again)");
      }
    }
  }

  /** The bundle shipped with Kaoping. */
  public static AssetBundle builtIn() {
    URL metadata = AssetBundle.class.getClassLoader().getResource(RESOURCE_ROOT + "metadata.yaml");
    if (metadata == null) {
      throw new IllegalStateException("the dashboard assets are missing from the classpath (" + RESOURCE_ROOT + ")");
    }
    try {
      URI file = metadata.toURI();
      if ("jar".equals(file.getScheme())) { // jar:file:/…/kaoping-dashboards.jar!/org/…/metadata.yaml, opaque: split by hand
        String spec = file.toString();
        int separator = spec.indexOf("!/");
        try (FileSystem jar = FileSystems.newFileSystem(URI.create(spec.substring(0, separator)), Map.of())) {
          return new AssetBundle(read(jar.getPath(spec.substring(separator + 1)).getParent()));
        }
      }
      return new AssetBundle(read(Path.of(file).getParent()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard assets: " + e.getMessage(), e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A bundle in a directory laid out like {@code dashboards/assets}. */
  public static AssetBundle fromDirectory(Path directory) {
    try {
      return new AssetBundle(read(directory));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard assets in " + directory + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, byte[]> read(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".yaml")).toList()) {
        files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return files;
  }

  /** The path of the one database file, e.g. {@code databases/kaoping_serving.yaml}. */
  public String databasePath() {
    return database();
  }

  /** The database's name in Superset. */
  public String databaseName() {
    return yaml(database()).path("database_name").asText();
  }

  private String database() {
    List<String> dbs = paths("databases/");
    if (dbs.size() != 1) {
      throw new IllegalArgumentException("the dashboard asset bundle must hold exactly one database, holds " + dbs);
    }
    return dbs.get(0);
  }

  /** Slugs of the bundle's dashboards, in file order. */
  public List<String> dashboardSlugs() {
    return paths("dashboards/").stream().map(p -> yaml(p).path("slug").asText()).toList();
  }

  /** UUIDs of the bundle's datasets. */
  public Set<String> datasetUuids() {
    Set<String> uuids = new TreeSet<>();
    paths("datasets/").forEach(p -> uuids.add(yaml(p).path("uuid").asText()));
    return uuids;
  }

  /** UUIDs of the datasets dashboard {@code slug} reads: its charts' and its native filters'. */
  public Set<String> datasetUuidsOf(String slug) {
    JsonNode dashboard = paths("dashboards/").stream().map(this::yaml).filter(d -> slug.equals(d.path("slug").asText()))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("the dashboard assets have no dashboard '" + slug + "'"));
    Set<String> charts = new TreeSet<>();
    dashboard.path("position").forEach(item -> {
      if ("CHART".equals(item.path("type").asText())) {
        charts.add(item.path("meta").path("uuid").asText());
      }
    });
    Set<String> uuids = new TreeSet<>();
    paths("charts/").stream().map(this::yaml).filter(c -> charts.contains(c.path("uuid").asText()))
        .forEach(c -> uuids.add(c.path("dataset_uuid").asText()));
    dashboard.path("metadata").path("native_filter_configuration").forEach(f -> f.path("targets")
        .forEach(t -> uuids.add(t.path("datasetUuid").asText())));
    return uuids;
  }

  public int chartCount() {
    return paths("charts/").size();
  }

  public int dashboardCount() {
    return paths("dashboards/").size();
  }

  /** The bundle as Superset's import expects it, the database reached at {@code sqlalchemyUri}. */
  public byte[] zip(String sqlalchemyUri) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        byte[] content = f.getValue();
        if (f.getKey().equals(database())) {
          String text = new String(content, StandardCharsets.UTF_8);
          Matcher m = URI_LINE.matcher(text);
          if (!m.find()) {
            throw new IllegalArgumentException(f.getKey() + " has no sqlalchemy_uri line");
          }
          content = m.replaceFirst(Matcher.quoteReplacement("sqlalchemy_uri: " + sqlalchemyUri))
              .getBytes(StandardCharsets.UTF_8);
        }
        zip.putNextEntry(new ZipEntry(ZIP_PREFIX + f.getKey()));
        zip.write(content);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private List<String> paths(String folder) {
    List<String> out = new ArrayList<>();
    files.keySet().stream().filter(k -> k.startsWith(folder)).forEach(out::add);
    return out;
  }

  private JsonNode yaml(String path) {
    return parsed.computeIfAbsent(path, p -> {
      try {
        return YAML.readTree(files.get(p));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot parse " + p + " of the dashboard assets: " + e.getMessage(), e);
      }
    });
  }
}
