package org.kaoping.delivery.feed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.kaoping.delivery.SyncedFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The file drop: {@code <drop>/<period>/v<N>/} holding {@code kaoping-feed_<period>_v<N>.csv} (UTF-8 with
 * a byte-order mark, so Excel reads Chinese names), {@code kaoping-feed_<period>_v<N>.jsonl}, the sheet for people
 * {@code kaoping-feed_<period>_v<N>.xlsx} ({@link FeedSheet}) and {@code manifest.json}. A version directory is written whole under a temporary name and renamed in one
 * atomic step, so a reader sees all of it or nothing; an existing version is never rewritten.
 */
public final class FeedFiles {
  public static final String MANIFEST = "manifest.json";
  private static final Pattern VERSION_DIR = Pattern.compile("v(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper LINES = new ObjectMapper();

  private final Path root;

  public FeedFiles(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The directory of {@code period}'s version {@code version}. */
  public Path versionDir(String period, int version) {
    return root.resolve(period).resolve("v" + version);
  }

  static String baseName(String period, int version) {
    return "kaoping-feed_" + period + "_v" + version;
  }

  /** Versions of {@code period} in the drop, oldest first (a directory without a manifest is not a version). */
  public List<Integer> versions(String period) {
    Path dir = root.resolve(period);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Integer> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.forEach(p -> {
        Matcher m = VERSION_DIR.matcher(p.getFileName().toString());
        if (m.matches() && Files.isRegularFile(p.resolve(MANIFEST))) {
          out.add(Integer.parseInt(m.group(1)));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the feed drop " + dir + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** Periods with at least one version in the drop. */
  public List<String> periods() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(p -> !versions(p).isEmpty())
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The manifest of a version. */
  public JsonNode manifest(String period, int version) {
    try {
      return JSON.readTree(versionDir(period, version).resolve(MANIFEST).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + versionDir(period, version).resolve(MANIFEST) + ": " + e.getMessage(), e);
    }
  }

  /** The latest version the drop holds of {@code period}, with its rows' checksums. */
  Optional<FeedVersion.Held> latest(String period) {
    List<Integer> versions = versions(period);
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    int v = versions.get(versions.size() - 1);
    JsonNode m = manifest(period, v);
    Map<String, String> shas = new LinkedHashMap<>();
    try (Stream<String> lines = Files.lines(versionDir(period, v).resolve(baseName(period, v) + ".jsonl"),
        StandardCharsets.UTF_8)) {
      for (String line : (Iterable<String>) lines::iterator) {
        JsonNode row = LINES.readTree(line);
        shas.put(row.get("level").asText() + "|" + row.get("entity_id").asLong() + "|" + row.get("period_type").asText() + "|"
            + row.get("period").asText(), row.get("row_sha256").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read feed version " + versionDir(period, v) + ": " + e.getMessage(), e);
    }
    return Optional.of(new FeedVersion.Held(v, m.get("content_sha256").asText(), shas, m.get("scheme_name").asText(),
        m.get("scheme_version").asText(), m.get("build_id").asText(), m.get("publication_id").asLong(),
        m.get("provisional").asBoolean(), m.get("feed_schema_version").asInt()));
  }

  /**
   * Writes {@code version} as a new version directory, atomically.
   *
   * @throws IllegalStateException if the version exists already (it is never rewritten)
   */
  Path write(FeedVersion version, Map<String, Long> tableSnapshots) {
    Path target = versionDir(version.period(), version.version());
    if (Files.exists(target)) {
      throw new IllegalStateException("Feed version " + target + " exists already and is never rewritten;"
          + " was another delivery running? Run 'kaoping feed history --period " + version.period() + "'.");
    }
    Path tmp = root.resolve(version.period()).resolve(".tmp-v" + version.version() + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      String base = baseName(version.period(), version.version());
      List<ObjectNode> files = new ArrayList<>();
      files.add(writeFile(tmp.resolve(base + ".csv"), csv(version), version.rows().size()));
      files.add(writeFile(tmp.resolve(base + ".jsonl"), jsonl(version), version.rows().size()));
      files.add(writeFile(tmp.resolve(base + ".xlsx"), FeedSheet.xlsx(version), version.rows().size()));
      writeFile(tmp.resolve(MANIFEST), JSON.writeValueAsBytes(manifest(version, files, tableSnapshots)), 1);
      SyncedFiles.syncDirectory(tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        throw new IllegalStateException("Cannot move " + tmp + " to " + target + " in one step (" + e + "); nothing was"
            + " published in the drop for " + version.period() + ".", e);
      }
      SyncedFiles.syncDirectory(target.getParent());
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the feed drop " + tmp + ": " + e.getMessage()
          + ". Check feed.drop-dir is writable; no half-written version is visible.", e);
    } finally {
      SyncedFiles.deleteQuietly(tmp);
    }
  }

  private ObjectNode manifest(FeedVersion v, List<ObjectNode> files, Map<String, Long> tableSnapshots) throws IOException {
    ObjectNode m = JSON.createObjectNode();
    m.put("feed_schema_version", FeedSchema.VERSION);
    m.put("period", v.period());
    m.put("version", v.version());
    if (v.previousVersion() == null) {
      m.putNull("previous_version");
    } else {
      m.put("previous_version", v.previousVersion());
    }
    m.put("reason", v.reason());
    m.put("rows_added", v.rowsAdded());
    m.put("rows_changed", v.rowsChanged());
    m.put("rows_removed", v.rowsRemoved());
    m.put("provisional", v.provisional());
    m.put("publication_id", v.publicationId());
    m.put("build_id", v.buildId());
    m.put("as_of_date", v.asOfDate().toString());
    m.put("scheme_name", v.schemeName());
    m.put("scheme_version", v.schemeVersion());
    m.set("source_snapshots", JSON.readTree(v.sourceSnapshots()));
    ObjectNode published = m.putObject("table_snapshots");
    tableSnapshots.forEach(published::put);
    ObjectNode counts = m.putObject("row_counts");
    counts.put("total", v.rows().size());
    counts.put("unit", v.unitRows());
    counts.put("person", v.personRows());
    m.put("content_sha256", v.contentSha256());
    m.put("delivered_at", v.deliveredAt().toString());
    ArrayNode list = m.putArray("files");
    files.forEach(list::add);
    ArrayNode history = m.putArray("history"); // every version of the period the drop holds, this one last
    for (int earlier : versions(v.period())) {
      JsonNode e = manifest(v.period(), earlier);
      ObjectNode h = history.addObject();
      for (String k : List.of("version", "publication_id", "scheme_version", "provisional", "content_sha256", "reason",
          "delivered_at")) {
        h.set(k, e.get(k));
      }
    }
    ObjectNode self = history.addObject();
    for (String k : List.of("version", "publication_id", "scheme_version", "provisional", "content_sha256", "reason",
        "delivered_at")) {
      self.set(k, m.get(k));
    }
    return m;
  }

  private static ObjectNode writeFile(Path file, byte[] bytes, int rows) throws IOException {
    SyncedFiles.write(file, bytes);
    ObjectNode f = JSON.createObjectNode();
    f.put("name", file.getFileName().toString());
    f.put("sha256", FeedVersion.sha256(bytes));
    f.put("bytes", bytes.length);
    f.put("rows", rows);
    return f;
  }

  /** CSV: UTF-8 with BOM, CRLF, a header, decimals as plain strings, the indicators as a JSON text. */
  static byte[] csv(FeedVersion v) {
    StringBuilder b = new StringBuilder("\uFEFF");
    b.append(String.join(",", FeedSchema.COLUMNS.keySet())).append("\r\n");
    for (Map<String, Object> row : v.rows()) {
      List<String> cells = new ArrayList<>();
      row.values().forEach(value -> cells.add(csvCell(text(value))));
      b.append(String.join(",", cells)).append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String csvCell(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** JSON Lines: one object per row; decimals as strings (exact), the indicators as an array. */
  static byte[] jsonl(FeedVersion v) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Map<String, Object> row : v.rows()) {
      ObjectNode o = LINES.createObjectNode();
      row.forEach((k, value) -> {
        if (value == null) {
          o.putNull(k);
        } else if (k.equals("indicators") || k.equals("source_snapshots")) {
          try {
            o.set(k, LINES.readTree((String) value));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        } else if (value instanceof BigDecimal d) {
          o.put(k, d.toPlainString());
        } else if (value instanceof Long l) {
          o.put(k, l);
        } else if (value instanceof Integer i) {
          o.put(k, i);
        } else if (value instanceof Boolean bool) {
          o.put(k, bool);
        } else {
          o.put(k, value.toString());
        }
      });
      b.append(LINES.writeValueAsString(o)).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A value as the feed writes it: null empty, decimals by their digits. */
  static String text(Object v) {
    return v == null ? "" : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
  }
}
