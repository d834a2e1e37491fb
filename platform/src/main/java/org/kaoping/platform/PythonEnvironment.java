package org.kaoping.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Python virtual environment holding exactly a committed, pinned requirements file, created on first use
 * under {@code ~/.cache/kaoping/venvs/<name>-<hash of the requirements>} and reused afterwards. A changed
 * requirements file gets a new environment; an interrupted install is redone.
 */
public final class PythonEnvironment {
  private final Path directory;

  private PythonEnvironment(Path directory) {
    this.directory = directory;
  }

  /** The cache root: {@code KAOPING_CACHE} when set, else {@code $XDG_CACHE_HOME/kaoping} or {@code ~/.cache/kaoping}. */
  public static Path cacheRoot() {
    String explicit = System.getenv("KAOPING_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("kaoping");
  }

  /**
   * The environment for {@code requirementsResource} (a classpath resource), installing it first if needed.
   * Concurrent callers (two tests, a test and {@code kaoping up}) wait for one install.
   */
  public static PythonEnvironment ensure(String name, String requirementsResource, Consumer<String> progress) {
    return ensureFor(name, resourceText(requirementsResource), progress);
  }

  /** As {@link #ensure}, for a requirements file on disk. */
  public static PythonEnvironment ensure(String name, Path requirementsFile, Consumer<String> progress) {
    try {
      return ensureFor(name, Files.readString(requirementsFile), progress);
    } catch (IOException e) {
      throw new PlatformException("cannot read the requirements file " + requirementsFile + ": " + e.getMessage(), e);
    }
  }

  private static PythonEnvironment ensureFor(String name, String requirements, Consumer<String> progress) {
    Path venvs = cacheRoot().resolve("venvs");
    Path directory = venvs.resolve(name + "-" + sha256(requirements).substring(0, 12));
    PythonEnvironment environment = new PythonEnvironment(directory);
    Path complete = directory.resolve(".kaoping-complete");
    if (Files.exists(complete)) {
      return environment;
    }
    try {
      Files.createDirectories(venvs);
      try (FileChannel channel = FileChannel.open(venvs.resolve(name + ".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (Files.exists(complete)) {
          return environment;
        }
        install(name, requirements, directory, progress);
        Files.writeString(complete, "installed\n");
      }
    } catch (IOException e) {
      throw new PlatformException("cannot create the Python environment in " + directory + ": " + e.getMessage(), e);
    }
    return environment;
  }

  private static void install(String name, String requirements, Path directory, Consumer<String> progress)
      throws IOException {
    deleteRecursively(directory); // a half-made environment from an interrupted install
    Files.createDirectories(directory);
    Path requirementsFile = directory.resolve("requirements.txt");
    Files.writeString(requirementsFile, requirements);
    Path log = directory.resolve("install.log");
    progress.accept("Installing " + name + " (pinned in " + requirementsFile.getFileName() + ") into " + directory
        + " — first use only, a few minutes; output in " + log);
    long start = System.nanoTime();
    Commands.run(List.of(python(), "-m", "venv", directory.toString()), Map.of(), log, 10);
    String pip = directory.resolve("bin/pip").toString();
    Commands.run(List.of(pip, "install", "--disable-pip-version-check", "--no-input", "-q", "-U", "pip"), Map.of(),
        log, 10);
    Commands.run(List.of(pip, "install", "--disable-pip-version-check", "--no-input", "-r",
        requirementsFile.toString()), Map.of(), log, 40);
    progress.accept(String.format("Installed %s in %.0f s", name, (System.nanoTime() - start) / 1e9));
  }

  /** The interpreter that creates environments: {@code KAOPING_PYTHON} or {@code python3}. */
  private static String python() {
    String explicit = System.getenv("KAOPING_PYTHON");
    return explicit != null && !explicit.isBlank() ? explicit : "python3";
  }

  public Path directory() {
    return directory;
  }

  /** A program installed in the environment ({@code bin/<name>}). */
  public Path bin(String program) {
    return directory.resolve("bin").resolve(program);
  }

  private static String resourceText(String resource) {
    try (InputStream in = PythonEnvironment.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new PlatformException("the requirements file " + resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (var paths = Files.walk(directory)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
