package org.kaoping.dashboards.superset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.kaoping.platform.Commands;
import org.kaoping.platform.ManagedProcess;
import org.kaoping.platform.PlatformException;
import org.kaoping.platform.PythonEnvironment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A local Apache Superset (the pinned version, in a cached virtual environment) serving on loopback, its metadata
 * in SQLite under {@code <state>/}: {@code superset_config.py}, {@code superset.db}, the secret key and the admin's
 * password (both 0600), {@code superset.log}. It also serves the evaluation reports (PDF) of a reports directory to
 * its logged-in readers, each the reports their roles may read ({@code /kaoping/reports/}). The first start copies a metadata database that was migrated and
 * initialised once per Superset version into the cache, so only the very first start on a machine pays for it.
 */
public final class SupersetServer implements AutoCloseable {
  public static final String REQUIREMENTS = "org/kaoping/dashboards/superset/requirements.txt";
  /** Kaoping's corrections of Superset's translations, per language (Superset's language pack format). */
  static final String TRANSLATIONS = "org/kaoping/dashboards/superset/translations.json";
  public static final String ADMIN = "admin";
  static final Duration START_DEADLINE = Duration.ofMinutes(5);

  private final URI url;
  private final ManagedProcess process;

  private SupersetServer(URI url, ManagedProcess process) {
    this.url = url;
    this.process = process;
  }

  /**
   * Installs (first use), initialises (first start in {@code state}) and starts Superset on 127.0.0.1:{@code port},
   * returning once {@code /health} answers; the admin user {@value #ADMIN} has {@code adminPassword}. The reports under
   * {@code reports} ({@code <period>/<file>.pdf}, as {@code kaoping report} writes them) are served at
   * {@code /kaoping/reports/<period>/<unit id or city>}: to the admin, {@link DashboardDeployment#COMMITTEE} and
   * {@link DashboardDeployment#ANALYST} every one, to a unit's role its unit's.
   */
  public static SupersetServer start(Path state, Path reports, int port, String adminPassword, Consumer<String> progress) {
    PythonEnvironment venv = PythonEnvironment.ensure("superset", REQUIREMENTS, progress);
    try {
      Files.createDirectories(state);
      ensureSecretKey(state);
      Path config = writeConfig(state, reports);
      Map<String, String> env = environment(venv, state, config);
      Path log = state.resolve("superset.log");
      Path db = state.resolve("superset.db");
      if (!Files.exists(db)) {
        Path pristine = pristineMetadata(venv, progress);
        progress.accept("Creating Superset's metadata database in " + db);
        Files.copy(pristine, db);
        runWithPassword(List.of(venv.bin("superset").toString(), "fab", "create-admin", "--username", ADMIN,
            "--firstname", "Kaoping", "--lastname", "Admin", "--email", "admin@kaoping.invalid", "--password",
            adminPassword), adminPassword, env, log);
        writeSecret(adminPasswordFile(state), adminPassword);
      } else if (!adminPassword.equals(readIfExists(adminPasswordFile(state)))) {
        progress.accept("Setting the Superset admin's new password");
        runWithPassword(List.of(venv.bin("superset").toString(), "fab", "reset-password", "--username", ADMIN,
            "--password", adminPassword), adminPassword, env, log);
        writeSecret(adminPasswordFile(state), adminPassword);
      }
      progress.accept("Starting Superset on http://127.0.0.1:" + port + " (output in " + log + ")");
      long started = System.nanoTime();
      ManagedProcess process = ManagedProcess.start("Superset", List.of(venv.bin("superset").toString(), "run", "-h",
          "127.0.0.1", "-p", Integer.toString(port), "--with-threads"), env, state, log);
      URI url = URI.create("http://127.0.0.1:" + port + "/");
      try {
        process.awaitHealthy(url.resolve("health"), START_DEADLINE);
      } catch (RuntimeException e) {
        process.close();
        throw e;
      }
      progress.accept(String.format("Superset is up in %.0f s", (System.nanoTime() - started) / 1e9));
      return new SupersetServer(url, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Superset's directory " + state + ": " + e.getMessage(), e);
    }
  }

  /** The admin password kept in {@code state} from an earlier start, or a new random one. */
  public static String adminPassword(Path state) {
    return keptAdminPassword(state).orElseGet(() -> random(12));
  }

  /** The admin password a start kept in {@code state} ({@link #adminPasswordFile}), if any. */
  public static Optional<String> keptAdminPassword(Path state) {
    return Optional.ofNullable(readIfExists(adminPasswordFile(state))).filter(p -> !p.isBlank());
  }

  /** Where a start keeps the admin's password (0600) in {@code state}. */
  public static Path adminPasswordFile(Path state) {
    return state.resolve("admin-password");
  }

  public URI url() {
    return url;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.close();
  }

  /**
   * A metadata database migrated and initialised with this Superset ({@code db upgrade}, {@code init}: about a minute
   * and a half), made once per environment and configuration into the cache.
   */
  private static Path pristineMetadata(PythonEnvironment venv, Consumer<String> progress) throws IOException {
    String template = configText(Path.of("/STATE"), Path.of("/REPORTS"));
    Path dir = PythonEnvironment.cacheRoot().resolve("superset-metadata")
        .resolve(venv.directory().getFileName() + "-" + sha256(template).substring(0, 12));
    Path db = dir.resolve("superset.db");
    if (Files.exists(db)) {
      return db;
    }
    Files.createDirectories(dir);
    try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = channel.lock()) {
      if (Files.exists(db)) {
        return db;
      }
      Path work = Files.createTempDirectory(dir, "init");
      ensureSecretKey(work);
      Path config = writeConfig(work, work.resolve("reports"));
      Map<String, String> env = environment(venv, work, config);
      Path log = dir.resolve("init.log");
      progress.accept("Initialising Superset's metadata database (once per Superset version, about 2 minutes;"
          + " output in " + log + ")");
      String superset = venv.bin("superset").toString();
      Commands.run(List.of(superset, "db", "upgrade"), env, log, 15);
      Commands.run(List.of(superset, "init"), env, log, 15);
      Files.move(work.resolve("superset.db"), db, StandardCopyOption.ATOMIC_MOVE);
      return db;
    }
  }

  /** Runs a command that takes the password as an argument; a failure's message shows the command without it. */
  private static void runWithPassword(List<String> command, String password, Map<String, String> env, Path log) {
    try {
      Commands.run(command, env, log, 10);
    } catch (PlatformException e) {
      throw new PlatformException(e.getMessage().replace(password, "********"));
    }
  }

  private static Map<String, String> environment(PythonEnvironment venv, Path state, Path config) {
    return Map.of("SUPERSET_CONFIG_PATH", config.toString(), "SUPERSET_HOME", state.toString(), "FLASK_APP",
        "superset", "PYTHONUNBUFFERED", "1", "PATH", venv.directory().resolve("bin") + ":" + System.getenv("PATH"));
  }

  private static Path writeConfig(Path state, Path reports) throws IOException {
    try (var in = SupersetServer.class.getClassLoader().getResourceAsStream(TRANSLATIONS)) {
      Files.write(state.resolve("translations.json"), in.readAllBytes());
    }
    Path config = state.resolve("superset_config.py");
    Files.writeString(config, configText(state, reports.toAbsolutePath()));
    return config;
  }

  /** The configuration; the secret key stays in its own 0600 file. */
  private static String configText(Path state, Path reports) {
    return """
        # Written by Kaoping on every start; edit SupersetServer.java instead.
        import pathlib
        SECRET_KEY = pathlib.Path(%s).read_text().strip()
        SQLALCHEMY_DATABASE_URI = "sqlite:///%s?check_same_thread=false"
        FAB_ADD_SECURITY_API = True
        WTF_CSRF_ENABLED = True
        WTF_CSRF_TIME_LIMIT = None
        TALISMAN_ENABLED = False
        SCARF_ANALYTICS = False
        BABEL_DEFAULT_LOCALE = "zh"
        LANGUAGES = {"zh": {"flag": "cn", "name": "Chinese"}, "en": {"flag": "us", "name": "English"}}
        # Virtualisation renders a chart only once scrolled into view: off, so a dashboard is whole when it loads.
        FEATURE_FLAGS = {"DASHBOARD_CROSS_FILTERS": True, "DRILL_BY": True, "DRILL_TO_DETAIL": True,
                         "DASHBOARD_VIRTUALIZATION": False}
        ROW_LIMIT = 50000

        # Corrections of Superset's Chinese (a table's search box read "16 异常" for "16 records", its page size
        # "显示 50 序列" for "entries"), merged into the language pack the browser fetches.
        import json
        from flask import request
        KAOPING_TRANSLATIONS = json.loads(pathlib.Path(%s).read_text(encoding="utf-8"))

        # The dashboard each reader's role reads first (DashboardDeployment.LANDING): opened after login instead of
        # Superset's empty home page. A dashboard a reader may not open is refused with a page in Chinese, not a 404.
        import re
        from flask import redirect
        from markupsafe import escape
        KAOPING_LANDING = json.loads(%s)

        def kaoping_landing(user):
            names = [r.name for r in user.roles]
            for role, slug in KAOPING_LANDING.items():
                if any(n == role or (role.endswith("_") and n.startswith(role)) for n in names):
                    return slug
            return None

        def kaoping_page(heading, body, user):
            slug = kaoping_landing(user)
            back = (f'<a href="/superset/dashboard/{slug}/">打开您的看板</a>' if slug
                    else '<a href="/dashboard/list/">查看您能打开的看板</a>')
            return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{heading}</title></head>'
                    f'<body style="font-family: sans-serif; margin: 4em"><h1>{heading}</h1>{body}<p>{back}</p></body></html>')

        def kaoping_refusal(title, user):
            return kaoping_page("无权打开此看板", f"<p>“{escape(title)}”不对您的账号开放。如需查看，请联系系统管理员。</p>", user)

        # The evaluation reports kaoping report writes (<period>/<period>_U07_<unit>.pdf, <period>_全市汇总.pdf), each to
        # the readers whose roles may read it: all of them to the admin, the committee and analysts, a unit's to its role.
        KAOPING_REPORTS = pathlib.Path(%s)
        KAOPING_READ_ALL = json.loads(%s)
        KAOPING_UNIT_ROLE = %s
        KAOPING_PERIOD = re.compile(r"\\d{4}(-Q[1-4]|-H[12]|-\\d{2})?")

        def kaoping_may_read(user, unit):
            names = [r.name for r in user.roles]
            return any(n in KAOPING_READ_ALL for n in names) or (unit != "city" and KAOPING_UNIT_ROLE + unit in names)

        def kaoping_reports_of(period):
            # (unit id or city, file) of each report of a period, as kaoping report names them
            folder = KAOPING_REPORTS / period
            for f in sorted(folder.glob("*.pdf")) if folder.is_dir() else []:
                m = re.fullmatch(re.escape(period) + r"_(?:U(\\d+)_.+|全市汇总)\\.pdf", f.name)
                if m:
                    yield (str(int(m.group(1))) if m.group(1) else "city"), f

        def FLASK_APP_MUTATOR(app):
            @app.before_request
            def kaoping_pages():
                from flask_login import current_user
                if not current_user.is_authenticated:
                    return None
                path = request.path.rstrip("/")
                if path == "/superset/welcome":
                    slug = kaoping_landing(current_user)
                    return redirect(f"/superset/dashboard/{slug}/") if slug else None
                opened = re.fullmatch(r"/superset/dashboard/([^/]+)", path)
                if opened:
                    from superset.exceptions import SupersetSecurityException
                    from superset.models.dashboard import Dashboard
                    dashboard = Dashboard.get(opened.group(1))
                    try:
                        dashboard and dashboard.raise_for_access()
                    except SupersetSecurityException:
                        return kaoping_refusal(dashboard.dashboard_title, current_user), 403
                return None

            @app.route("/kaoping/reports/")
            def kaoping_report_list():
                from flask_login import current_user
                if not current_user.is_authenticated:
                    return redirect("/login/?next=/kaoping/reports/")
                periods = sorted((p.name for p in KAOPING_REPORTS.iterdir() if p.is_dir() and KAOPING_PERIOD.fullmatch(p.name)),
                                 reverse=True) if KAOPING_REPORTS.is_dir() else []
                items = "".join(f'<li><a href="/kaoping/reports/{period}/{unit}">{escape(f.name)}</a></li>'
                                for period in periods for unit, f in kaoping_reports_of(period)
                                if kaoping_may_read(current_user, unit))
                return kaoping_page("履职评估报告", f"<ul>{items}</ul>" if items else
                                    "<p>还没有您可以打开的报告。季度报告在季度结束、填报宽限期过后生成。</p>", current_user)

            @app.route("/kaoping/reports/<period>/<unit>")
            def kaoping_report(period, unit):
                from flask import send_file
                from flask_login import current_user
                if not current_user.is_authenticated:
                    return redirect(f"/login/?next={request.path}")
                if not KAOPING_PERIOD.fullmatch(period) or not re.fullmatch(r"\\d+|city", unit):
                    return kaoping_page("没有这份报告", "<p>报告的地址不对。</p>", current_user), 404
                unit = unit if unit == "city" else str(int(unit))
                if not kaoping_may_read(current_user, unit):
                    return kaoping_page("无权打开此报告", "<p>这份报告不对您的账号开放。如需查看，请联系系统管理员。</p>",
                                        current_user), 403
                found = [f for u, f in kaoping_reports_of(period) if u == unit]
                if not found:
                    return kaoping_page("报告尚未生成", f"<p>{period} 的这份报告还没有生成：季度报告在季度结束、填报宽限期过后"
                                        f"生成（kaoping report --period {period}）。</p>", current_user), 404
                return send_file(found[0], mimetype="application/pdf", download_name=found[0].name)

            @app.after_request
            def kaoping_translations(response):
                path = request.path.strip("/").split("/")
                fixes = KAOPING_TRANSLATIONS.get(path[-1]) if path[:2] == ["superset", "language_pack"] else None
                if fixes and response.status_code == 200:
                    response.direct_passthrough = False  # a file sent as is: read it to rewrite it
                    pack = json.loads(response.get_data())
                    pack["locale_data"]["superset"].update(fixes)
                    response.set_data(json.dumps(pack, ensure_ascii=False))
                return response
        """.formatted(pyString(state.resolve("secret-key").toString()), state.resolve("superset.db"),
            pyString(state.resolve("translations.json").toString()), pyString(landingJson()), pyString(reports.toString()),
            pyString(json(List.of("Admin", DashboardDeployment.COMMITTEE, DashboardDeployment.ANALYST))),
            pyString(DashboardDeployment.UNIT_ROLE_PREFIX));
  }

  private static String landingJson() {
    return json(DashboardDeployment.LANDING);
  }

  private static String json(Object value) {
    try {
      return new ObjectMapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Generated once: Superset encrypts the database passwords it keeps with it. */
  private static void ensureSecretKey(Path state) throws IOException {
    if (!Files.exists(state.resolve("secret-key"))) {
      writeSecret(state.resolve("secret-key"), random(32));
    }
  }

  private static void writeSecret(Path file, String value) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
  }

  private static String readIfExists(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file).strip() : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String pyString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
