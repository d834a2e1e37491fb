package org.kaoping.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Debian packages Kaoping needs beside it (a browser, fonts, PDF tools), installed with apt-get when missing. */
public final class DebianPackages {
  private DebianPackages() {}

  /** Installs those of {@code packages} that are not installed; as root directly, otherwise through {@code sudo -n}. */
  public static void ensure(List<String> packages, Consumer<String> progress) {
    List<String> missing = new ArrayList<>();
    for (String p : packages) {
      if (!installed(p)) {
        missing.add(p);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<String> prefix = isRoot() ? List.of() : List.of("sudo", "-n");
    Path log = PythonEnvironment.cacheRoot().resolve("apt-get.log");
    progress.accept("Installing Debian packages " + String.join(" ", missing) + " with apt-get (once; output in "
        + log + ")");
    Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
    try {
      // Waits for another apt-get (a parallel test, unattended upgrades) instead of failing on the dpkg lock.
      Commands.run(concat(prefix, List.of("apt-get", "-o", "DPkg::Lock::Timeout=900", "update", "-qq")), env, log, 20);
      List<String> install = new ArrayList<>(concat(prefix,
          List.of("apt-get", "-o", "DPkg::Lock::Timeout=900", "install", "-y", "-qq", "--no-install-recommends")));
      install.addAll(missing);
      Commands.run(install, env, log, 30);
    } catch (PlatformException e) {
      throw new PlatformException("could not install " + String.join(" ", missing) + " (" + e.getMessage()
          + ").\nInstall them yourself with: sudo apt-get install -y " + String.join(" ", missing), e);
    }
  }

  static boolean installed(String pkg) {
    try {
      Process p = new ProcessBuilder("dpkg-query", "-W", "-f=${Status}", pkg).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() == 0 && out.contains("install ok installed");
    } catch (IOException e) {
      throw new PlatformException("cannot ask dpkg which packages are installed (is this Debian?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
