package org.kaoping.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** The SQL models in a resource folder beside this class, from a classes directory or a jar alike. */
final class ModelResources {
  private ModelResources() {}

  /** Every {@code <folder>/*.sql} resource, loaded, sorted by name; an empty or missing folder is an error. */
  static List<SqlModel> in(String folder) {
    URL url = ModelResources.class.getResource(folder);
    if (url == null) {
      throw new IllegalStateException("No model folder " + folder + " beside " + ModelResources.class.getName());
    }
    List<String> names = switch (url.getProtocol()) {
      case "file" -> inDirectory(url);
      case "jar" -> inJar(url);
      default -> throw new IllegalStateException("Cannot list the models of " + url + ": neither a directory nor a jar");
    };
    if (names.isEmpty()) {
      throw new IllegalStateException("No SQL model in " + url);
    }
    return names.stream().sorted().map(name -> SqlModel.load(folder + "/" + name)).toList();
  }

  private static List<String> inDirectory(URL url) {
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sql")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Unreadable model folder " + url, e);
    }
  }

  private static List<String> inJar(URL url) {
    try {
      JarURLConnection connection = (JarURLConnection) url.openConnection();
      String prefix = connection.getEntryName().replaceFirst("/?$", "/");
      List<String> names = new ArrayList<>();
      try (JarFile jar = new JarFile(Path.of(connection.getJarFileURL().toURI()).toFile())) {
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
          String name = entries.nextElement().getName();
          String rest = name.startsWith(prefix) ? name.substring(prefix.length()) : "";
          if (rest.endsWith(".sql") && !rest.contains("/")) {
            names.add(rest);
          }
        }
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Unreadable model jar " + url, e);
    }
  }
}
