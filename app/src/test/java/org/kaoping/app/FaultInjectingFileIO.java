package org.kaoping.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * The real Hadoop FileIO with one fault at an exact point, for tests that kill or stop a child
 * process inside an Iceberg commit (catalog property {@code io-impl}). System properties:
 * {@code kaoping.test.fault=halt-after-write:REGEX} halts the JVM once a file whose path matches
 * is fully written; {@code block-before-write:REGEX} (once {@code <fault-dir>/armed} exists, after as many matching writes as
 * the number it holds, if any) writes
 * {@code <fault-dir>/blocked} and waits for {@code <fault-dir>/release} before writing the file.
 */
public class FaultInjectingFileIO extends HadoopFileIO {
  static final String FAULT = "kaoping.test.fault";
  static final String FAULT_DIR = "kaoping.test.fault-dir";

  @Override
  public OutputFile newOutputFile(String path) {
    OutputFile file = super.newOutputFile(path);
    String fault = System.getProperty(FAULT, "");
    int colon = fault.indexOf(':');
    if (colon < 0 || !Pattern.compile(fault.substring(colon + 1)).matcher(path).matches()) {
      return file;
    }
    return switch (fault.substring(0, colon)) {
      case "halt-after-write" -> new Faulty(file, false);
      case "block-before-write" -> new Faulty(file, true);
      default -> throw new IllegalArgumentException("Unknown fault " + fault);
    };
  }

  private static final class Faulty implements OutputFile {
    private final OutputFile file;
    private final boolean block;

    Faulty(OutputFile file, boolean block) {
      this.file = file;
      this.block = block;
    }

    @Override
    public PositionOutputStream create() {
      return wrap(file.create());
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      return wrap(file.createOrOverwrite());
    }

    private PositionOutputStream wrap(PositionOutputStream out) {
      if (block) {
        blockIfArmed();
        return out;
      }
      return new PositionOutputStream() {
        @Override
        public long getPos() throws IOException {
          return out.getPos();
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          out.close();
          System.out.println("FAULT: halting after writing " + file.location());
          System.out.flush();
          Runtime.getRuntime().halt(137);
        }
      };
    }

    private static void blockIfArmed() {
      Path dir = Path.of(System.getProperty(FAULT_DIR));
      try {
        Path armed = dir.resolve("armed");
        String pass = Files.exists(armed) ? Files.readString(armed).strip() : null;
        if (pass != null && !pass.isEmpty() && Integer.parseInt(pass) > 0) {
          Files.writeString(armed, Integer.toString(Integer.parseInt(pass) - 1)); // let this matching write through
          return;
        }
        if (!Files.deleteIfExists(armed)) {
          return;
        }
        Files.createFile(dir.resolve("blocked"));
        long deadline = System.currentTimeMillis() + 600_000;
        while (!Files.exists(dir.resolve("release")) && System.currentTimeMillis() < deadline) {
          Thread.sleep(20);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public String location() {
      return file.location();
    }

    @Override
    public InputFile toInputFile() {
      return file.toInputFile();
    }
  }
}
