package org.kaoping.warehouse;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * An exclusive lock on one kind of warehouse run (ingest, build), taken without waiting: a second
 * run is refused at once with who holds it. It is an operating-system file lock on
 * {@code <home>/locks/<kind>.lock}, so the kernel releases it when the holding process ends, however
 * it ends: a killed run never leaves it behind.
 *
 * <p>In the warehouse module because it guards the warehouse's tables, whichever entry point writes
 * them. It excludes runs that share the Kaoping home (the default warehouse lives there); runs on
 * other machines against a shared catalog must share the home directory or be serialised by their scheduler.
 */
public final class WarehouseLock implements AutoCloseable {
  /** What a lock protects. */
  public enum Kind {
    /** Raw tables and {@code ops.ingest_checkpoint}: written by ingest runs. */
    INGEST,
    /** Staging, marts, {@code ops.build_run}, {@code ops.rejected_rows}: written by builds. */
    BUILD,
    /** The cadre-management feed's versions (drop folder and target): written by feed deliveries. */
    FEED,
    /** The reminders' notifications (target table and drop folder): written by remind deliveries. */
    REMIND;

    String fileName() {
      return name().toLowerCase(Locale.ROOT) + ".lock";
    }
  }

  /** Locks this JVM holds, by file: a second channel on a locked file would release the lock when closed (POSIX). */
  private static final Map<Path, String> HELD_HERE = new HashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private WarehouseLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the {@code kind} lock of the warehouse at {@code home}, recording {@code command}, this
   * process and the time in the lock file.
   *
   * @throws Busy naming the holder when another run (in this or another process) holds it
   */
  public static WarehouseLock acquire(Path home, Kind kind, String command) {
    Path file = home.resolve("locks").resolve(kind.fileName()).toAbsolutePath().normalize();
    synchronized (HELD_HERE) {
      String holder = HELD_HERE.get(file);
      if (holder != null) {
        throw new Busy(kind, holder, file);
      }
      FileChannel channel = null;
      try {
        Files.createDirectories(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          channel.close(); // this process holds no lock on the file, so closing releases nothing
          throw new Busy(kind, describe(Files.readString(file, StandardCharsets.UTF_8)), file);
        }
        String info = "command=" + command + "\npid=" + ProcessHandle.current().pid() + "\nhost=" + host()
            + "\nsince=" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(info.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        HELD_HERE.put(file, describe(info));
        return new WarehouseLock(file, channel, lock);
      } catch (IOException e) {
        closeQuietly(channel);
        throw new UncheckedIOException("Cannot take the " + kind.name().toLowerCase(Locale.ROOT) + " lock " + file
            + ": " + e.getMessage(), e);
      }
    }
  }

  /** Releases the lock; the file stays (deleting it would let two runs lock two different files). */
  @Override
  public void close() {
    synchronized (HELD_HERE) {
      try {
        lock.release();
      } catch (IOException e) {
        // closing the channel below releases it anyway
      }
      closeQuietly(channel);
      HELD_HERE.remove(file);
    }
  }

  private static String describe(String lockFileText) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(lockFileText));
    } catch (IOException e) {
      return "another process";
    }
    if (p.getProperty("pid") == null) {
      return "another process (it has not recorded itself yet)";
    }
    return "'" + p.getProperty("command", "kaoping") + "' (pid " + p.getProperty("pid") + " on host "
        + p.getProperty("host", "?") + ", since " + p.getProperty("since", "?") + ")";
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown");
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing left to release
      }
    }
  }

  /** Another run holds the lock: the message says which, and what to do. */
  public static final class Busy extends IllegalStateException {
    Busy(Kind kind, String holder, Path file) {
      super("Another Kaoping run holds this warehouse's " + kind.name().toLowerCase(Locale.ROOT) + " lock: " + holder
          + ". Runs of the same kind never interleave; wait for it to finish, then run again. The lock ends with its"
          + " process, so a run that crashed or was killed does not block the next one (lock file " + file + ").");
    }
  }
}
