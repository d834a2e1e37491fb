package org.kaoping.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kaoping.config.KaopingConfig;
import org.kaoping.dashboards.superset.AssetBundle;
import org.kaoping.dashboards.superset.DashboardDeployment.ServingDatabase;
import org.kaoping.dashboards.superset.DashboardDeployment;
import org.kaoping.dashboards.superset.SupersetClient;
import org.kaoping.dashboards.superset.SupersetException;
import org.kaoping.dashboards.superset.SupersetServer;
import org.kaoping.delivery.serving.ServingPublisher;
import org.kaoping.platform.DebianPackages;
import org.kaoping.vocabulary.Labels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.impl.TargetClosedError;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.MouseButton;
import com.microsoft.playwright.options.WaitForSelectorState;

/**
 * The dashboards in a real Superset and a real browser: a small demo world published to the serving database,
 * Superset installed from the pinned requirements and started once, the bundle deployed, every dashboard opened in
 * Debian's headless Chromium until every chart has rendered (no error, no empty result; screenshots in
 * target/screenshots), the quarter's ranking compared with the serving database, a unit leader limited to the
 * unit's rows, and a second deployment changing no counts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupersetDashboardsTest {
  static final String ADMIN_PASSWORD = "kaoping-test-admin";
  static final Path SCREENSHOTS = Path.of("target", "screenshots");
  static final List<String> EMPTY_TEXTS = List.of("No results", "无结果", "此查询没有数据返回");
  /**
   * Superset's words for a missing value, and its Chinese a table showed: "16 异常" for 16 records, "显示 50 序列" for
   * 50 entries per page, "选择标签" for select page size; "Search by" a column named by its code (a list paged by the
   * database).
   */
  static final List<String> MISWORDS = List.of("N/A", "异常", "序列", "选择标签", "Search by");

  static Path home;
  static EmbeddedServing servingServer;
  static SupersetServer superset;
  static SupersetClient admin;
  static AssetBundle bundle;
  static ServingPublisher.Target serving;
  static ServingDatabase servingForSuperset;
  static List<DashboardDeployment.Unit> units;
  static DashboardDeployment.Result firstDeploy;
  static Playwright playwright;
  static Browser browser;

  @BeforeAll
  static void startEverything() throws Exception {
    DebianPackages.ensure(List.of("chromium", "fonts-noto-cjk"), System.out::println);
    home = PublishedDemo.home();
    KaopingConfig config = KaopingConfig.load(null, Map.of("home", home.toString()));
    servingServer = EmbeddedServing.start(config);
    serving = servingServer.target();
    servingForSuperset = new ServingDatabase("127.0.0.1", servingServer.port(), Serving.EMBEDDED_DATABASE,
        serving.readerRole(), null);
    try (Connection c = reader()) {
      units = DashboardDeployment.units(c);
    }
    superset = SupersetServer.start(home.resolve("superset"), home.resolve("reports"), freePort(), ADMIN_PASSWORD, System.out::println);
    admin = SupersetClient.login(superset.url(), SupersetServer.ADMIN, ADMIN_PASSWORD);
    bundle = bundle();
    firstDeploy = DashboardDeployment.deploy(admin, bundle, servingForSuperset, units, System.out::println);
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true)
        .setExecutablePath(Path.of("/usr/bin/chromium")).setArgs(List.of("--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync")));
    Files.createDirectories(SCREENSHOTS);
  }

  static AssetBundle bundle() throws Exception {
    return AssetBundle.builtIn();
  }

  @AfterAll
  static void stopEverything() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (superset != null) {
      superset.close();
    }
    if (servingServer != null) {
      servingServer.close();
    }
  }

  @Test
  @Order(1)
  void everyDashboardRendersEveryChartWithData() {
    assertFalse(bundle.dashboardSlugs().isEmpty());
    try (LoggedIn session = loggedIn(SupersetServer.ADMIN, ADMIN_PASSWORD)) {
      Page page = session.context().newPage();
      for (String slug : bundle.dashboardSlugs()) {
        openDashboard(page, slug);
        int charts = page.locator("[data-test=chart-grid-component]").count();
        assertTrue(charts > 0, slug + " shows charts");
        for (Locator tab : page.locator("[data-test=dashboard-component-tabs] [role=tab]").all()) {
          tab.click();
          awaitCharts(page, slug);
          assertChartsHealthy(page, slug);
          assertReadersWords(page, slug);
        }
        assertChartsHealthy(page, slug);
        assertReadersWords(page, slug);
        if (slug.equals("data-quality")) {
          assertDataQualityInChinese(page);
        }
        awaitChartsStill(page);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(slug + ".png")).setFullPage(true));
        System.out.println("dashboard " + slug + ": " + charts + " charts rendered, screenshot "
            + SCREENSHOTS.resolve(slug + ".png"));
      }
    }
  }

  @Test
  @Order(2)
  void theQuarterlyRankingShowsTheServingDatabasesFigures() throws Exception {
    try (LoggedIn session = loggedIn(SupersetServer.ADMIN, ADMIN_PASSWORD)) {
      Page page = session.context().newPage();
      List<Map<String, String>> rows = rankingRows(page);
      assertFalse(rows.isEmpty(), "the ranking shows rows");
      assertEqualTheServingDatabase(rows);
      String complete = latestQuarter(true);
      rows.forEach(r -> assertEquals(complete, r.get("考评期"), "opens on the latest complete quarter, as the reports and"
          + " the feed do: " + r));
      String provisional = latestQuarter(false);
      assertTrue(provisional != null, "the demo's last quarter (data to 2025-12-15) is not over");
      List<Map<String, String>> later = rankingRows(page, provisional + "（暂定）");
      assertFalse(later.isEmpty(), "the ranking of " + provisional + " shows rows");
      assertEqualTheServingDatabase(later);
      later.forEach(r -> assertEquals(provisional + "（暂定）", r.get("考评期"), "a provisional quarter is marked: " + r));
      List<String> chosen = page.locator(".ant-select-selection-item").allInnerTexts();
      assertTrue(chosen.stream().anyMatch(t -> t.contains(provisional + "（暂定）")),
          "the 考评期 filter itself reads " + provisional + "（暂定）: " + chosen);
      page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("quarterly-review-provisional.png")));
      System.out.println("季度排名: opens on " + complete + "; " + provisional + " reads " + provisional + "（暂定）");
      assertRankingExportsAndReportsOpen(session.context(), complete);
    }
  }

  /**
   * The committee takes the ranking away as an Excel sheet from the chart's menu (下载 → 导出为Excel: Chinese headers, a
   * row per unit), and opens each unit's report and the city-wide summary (PDFs) from 履职评估报告（PDF）.
   */
  private void assertRankingExportsAndReportsOpen(BrowserContext context, String quarter) throws Exception {
    Page page = context.newPage();
    openDashboard(page, "quarterly-review");
    Locator ranking = page.locator("[data-test=chart-grid-component][data-test-chart-name=季度排名]");
    ranking.locator("button[aria-haspopup=true]").first().click();
    Locator download = page.locator(".ant-dropdown:not(.ant-dropdown-hidden) [role=menuitem]").filter(
        new Locator.FilterOptions().setHasText("下载")).first();
    Locator excel = page.locator(".ant-dropdown-menu-submenu-popup [role=menuitem]").filter(new Locator.FilterOptions()
        .setHasText("导出为Excel").setVisible(true));
    ChildKaoping.await("the 下载 submenu to show 导出为Excel", 120, () -> {
      if (excel.count() > 0) {
        return true;
      }
      download.hover();
      return false;
    });
    com.microsoft.playwright.Download sheet = page.waitForDownload(() -> excel.first().click());
    Path file = SCREENSHOTS.resolve("quarterly-ranking.xlsx");
    sheet.saveAs(file);
    long units;
    try (Connection c = reader(); var s = c.prepareStatement(
        "SELECT count(*) FROM kaoping.unit_score_by_period WHERE period_type = 'QUARTER' AND period = ?")) {
      s.setString(1, quarter);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        units = rs.getLong(1);
      }
    }
    try (var workbook = org.apache.poi.ss.usermodel.WorkbookFactory.create(file.toFile())) {
      var rows = workbook.getSheetAt(0);
      List<String> headers = new ArrayList<>();
      rows.getRow(0).forEach(cell -> headers.add(cell.getStringCellValue()));
      assertTrue(headers.containsAll(List.of("考评期", "同类组", "排名", "单位", "等次", "得分", "得分变化")), "the sheet's headers: " + headers);
      assertEquals(units, rows.getLastRowNum(), "a row per unit of " + quarter);
      assertEquals(quarter, rows.getRow(1).getCell(headers.indexOf("考评期")).getStringCellValue());
      assertTrue(rows.getRow(1).getCell(headers.indexOf("得分")).getNumericCellValue() > 0, "the score is a number");
      for (int r = 1; r <= rows.getLastRowNum(); r++) {
        String change = rows.getRow(r).getCell(headers.indexOf("得分变化")).getStringCellValue();
        assertTrue(change.matches("—|持平|(上升|下降) \\d+\\.\\d+ 分"), "a score change in words, unquoted: " + change);
      }
    }
    Locator links = page.locator("[data-test=chart-grid-component][data-test-chart-name^=履职评估报告] tbody a");
    assertEquals(units + 1, links.count(), "a report per unit and the city-wide summary");
    for (Locator link : links.all()) {
      assertTrue(link.getAttribute("href").startsWith("/kaoping/reports/" + quarter + "/"), link.getAttribute("href"));
      assertIsPdf(context, link.getAttribute("href"));
    }
    System.out.println("季度排名 exported to " + file + " (" + units + " units); " + links.count() + " reports open as PDFs");
  }

  @Test
  @Order(6)
  void rightClickOnTheRankingDrillsAndTheDetailIsInChinese() throws Exception {
    try (LoggedIn session = loggedIn(SupersetServer.ADMIN, ADMIN_PASSWORD)) {
      Page page = session.context().newPage();
      openDashboard(page, "quarterly-review");
      String help = page.locator("[data-test=dashboard-markdown-editor]").first().innerText();
      assertTrue(help.contains("钻取") && help.contains("钻取详情"), "the help panel names the menu's actions: " + help);
      assertFalse(help.contains("下钻至") || help.contains("下钻到明细"), "the help panel names actions the menu lacks: " + help);

      Locator ranking = page.locator("[data-test=chart-grid-component][data-test-chart-name=季度排名]");
      ranking.locator("tbody tr").first().locator("td").nth(3).click(new Locator.ClickOptions().setButton(MouseButton.RIGHT));
      Map<String, Boolean> menu = contextMenu(page);
      for (String action : List.of("钻取详情", "钻取详情：", "钻取：")) {
        assertEquals(Boolean.TRUE, menu.get(action), "right-click on 季度排名 offers " + action + ": " + menu);
      }
      page.locator(".ant-dropdown-menu-item").filter(new Locator.FilterOptions().setHasText(Pattern.compile("^钻取详情$"))
          .setVisible(true)).first().click();
      DrillDetail ranked = drillDetail(page, "quarterly-review-drill-ranking.png");
      String quarter = latestQuarter(true);
      assertEquals(expectedRanking().keySet().stream().filter(k -> k.startsWith(quarter + "|")).count(), ranked.count(),
          "钻取详情 of 季度排名 lists the quarter's units: " + ranked);
      assertTrue(ranked.rows().stream().allMatch(r -> r.get(0).equals(quarter)), "of the quarter shown: " + ranked);
      closeDrillDetail(page);

      // 得分构成: right-click on the first unit's bar, 钻取详情 by its unit and indicator
      Locator points = page.locator("[data-test=chart-grid-component][data-test-chart-name=得分构成：各指标得分]");
      points.scrollIntoViewIfNeeded();
      double[] bar = barPoint(points.locator("canvas").first());
      page.mouse().click(bar[0], bar[1], new Mouse.ClickOptions().setButton(MouseButton.RIGHT));
      menu = contextMenu(page);
      assertEquals(Boolean.TRUE, menu.get("钻取详情："), "right-click on a bar of 得分构成 offers 钻取详情：" + menu);
      // the ranking's menu stays in the page, hidden: only the open one's items. The submenu opens on hover, and a
      // click on its title can close what the pointer's arrival opened, so hover until its items show
      Locator submenu = page.locator(".ant-dropdown-menu-submenu-title").filter(new Locator.FilterOptions()
          .setHasText("钻取详情：").setVisible(true)).first();
      Locator all = page.locator(".ant-dropdown-menu-item").filter(new Locator.FilterOptions()
          .setHasText(Pattern.compile("钻取详情：\\s*全部")).setVisible(true));
      ChildKaoping.await("the 钻取详情： submenu to show its items", 120, () -> {
        if (all.count() > 0) {
          return true;
        }
        submenu.hover();
        return false;
      });
      all.first().click();
      DrillDetail bar1 = drillDetail(page, "quarterly-review-drill-points.png");
      List<String> pills = page.locator(".ant-modal [data-test=filter-col]").allInnerTexts();
      assertEquals(2, pills.size(), "the bar's unit and indicator: " + pills);
      for (String pill : pills) {
        assertTrue(pill.startsWith("单位") || pill.startsWith("指标"), "a filter named in Chinese: " + pill);
      }
      assertEquals(1, bar1.count(), "one unit's one indicator: " + bar1);
      System.out.println("钻取: 季度排名 offers " + menu.keySet() + "; 得分构成's 钻取详情 " + pills + " → " + bar1);
    }
  }

  /** The open context menu's items, each with whether it can be chosen. */
  private static Map<String, Boolean> contextMenu(Page page) {
    Locator items = page.locator(".ant-dropdown:not(.ant-dropdown-hidden) .ant-dropdown-menu-item,"
        + " .ant-dropdown:not(.ant-dropdown-hidden) .ant-dropdown-menu-submenu-title");
    items.first().waitFor(new Locator.WaitForOptions().setTimeout(60_000));
    Map<String, Boolean> menu = new HashMap<>();
    for (Locator item : items.all()) {
      menu.put(item.innerText().strip(), !"true".equals(item.getAttribute("aria-disabled")));
    }
    return menu;
  }

  /**
   * The open 钻取详情, checked as a committee member reads it: every column headed in Chinese, no code (CITY_PARTY,
   * QUARTER, fill_rate) in a cell it shows. Returns its headers, the rows it shows (a virtual grid: the columns in view)
   * and its row count; screenshot {@code file}.
   */
  private static DrillDetail drillDetail(Page page, String file) {
    Locator modal = page.locator(".ant-modal");
    try {
      modal.locator(".virtual-table-cell").first().waitFor(new Locator.WaitForOptions().setTimeout(120_000));
    } catch (TimeoutError e) {
      page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(file)));
      throw new AssertionError("钻取详情 shows no rows: " + (modal.count() > 0 ? modal.first().innerText() : "no dialog"), e);
    }
    Locator count = modal.locator("[data-test=row-count-label]");
    count.first().waitFor(new Locator.WaitForOptions().setTimeout(60_000));
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(file)));
    String dataset = modal.locator("[data-test=metadata-bar]").first().innerText().strip();
    assertTrue(dataset.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)
        && !dataset.matches("(?s).*[a-z]+_[a-z_]+.*"), "钻取详情 names its dataset in Chinese: " + dataset);
    List<String> headers = modal.locator("thead th").allInnerTexts().stream().map(String::strip).filter(h -> !h.isEmpty()).toList();
    assertFalse(headers.isEmpty(), "钻取详情 has columns");
    for (String h : headers) {
      assertTrue(h.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
          "钻取详情 heads a column by its code: " + h + " in " + headers);
    }
    @SuppressWarnings("unchecked")
    List<List<String>> rows = (List<List<String>>) modal.first().evaluate("""
        m => {
          const rows = new Map();
          for (const c of m.querySelectorAll('.virtual-table-cell')) {
            const top = parseFloat(c.style.top), left = parseFloat(c.style.left);
            if (!rows.has(top)) rows.set(top, []);
            rows.get(top).push([left, c.innerText.trim()]);
          }
          return [...rows.keys()].sort((a, b) => a - b).map(t => rows.get(t).sort((a, b) => a[0] - b[0]).map(c => c[1]));
        }""");
    for (List<String> cells : rows) {
      for (String cell : cells) {
        assertFalse(cell.matches("[A-Z][A-Z_]+|[a-z]+(_[a-z]+)+"), "钻取详情 shows a code: " + cell + " in " + cells);
      }
    }
    Matcher n = Pattern.compile("(\\d+)").matcher(count.first().innerText());
    assertTrue(n.find(), "钻取详情 counts its rows: " + count.first().innerText());
    return new DrillDetail(headers, rows, Integer.parseInt(n.group(1)));
  }

  /** What 钻取详情 shows: its column headers, the rows in view and its row count. */
  private record DrillDetail(List<String> headers, List<List<String>> rows, int count) {}

  private static void closeDrillDetail(Page page) {
    page.locator("[data-test=close-drilltodetail-modal]").click();
    page.locator(".ant-modal").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.HIDDEN).setTimeout(60_000));
  }

  /** A point (page coordinates) on a bar of an ECharts canvas: the first coloured pixel above the axis, left to right. */
  private static double[] barPoint(Locator canvas) {
    canvas.waitFor(new Locator.WaitForOptions().setTimeout(60_000));
    awaitChartsStill(canvas.page());
    @SuppressWarnings("unchecked")
    List<Number> point = (List<Number>) canvas.evaluate("""
        c => {
          const ctx = c.getContext('2d'), box = c.getBoundingClientRect(), scale = c.width / box.width;
          const y = Math.round(c.height * 0.7);
          for (let x = Math.round(c.width * 0.1); x < c.width * 0.9; x += 2) {
            const [r, g, b] = ctx.getImageData(x, y, 1, 1).data;
            if (Math.max(r, g, b) - Math.min(r, g, b) > 60) {
              return [box.x + (x + 6) / scale, box.y + y / scale];
            }
          }
          return null;
        }""");
    assertTrue(point != null, "a bar on the canvas");
    return new double[] {point.get(0).doubleValue(), point.get(1).doubleValue()};
  }

  @Test
  @Order(7)
  void theLogListsHoldEveryRowOfTheChoice() throws Exception {
    String quarter = latestQuarter(true);
    Map<String, String> counts = Map.of(
        "工作日志明细", "SELECT count(*) FROM kaoping.fact_work_log WHERE to_char(work_date, 'YYYY-\"Q\"Q') = ?",
        "审阅意见", "SELECT count(*) FROM kaoping.fact_review_decision WHERE to_char(work_date, 'YYYY-\"Q\"Q') = ?");
    try (LoggedIn session = loggedIn(SupersetServer.ADMIN, ADMIN_PASSWORD)) {
      Page page = session.context().newPage();
      openDashboard(page, "quarterly-review");
      // a unit's leaders belong to no section: 科室情况 lists them as 单位领导, so a click reaches them as it reaches a section
      Locator sections = page.locator("[data-test=chart-grid-component][data-test-chart-name=科室情况] tbody");
      assertTrue(sections.innerText().contains("单位领导"), "科室情况 has the leaders' row: " + sections.innerText());
      for (Map.Entry<String, String> list : counts.entrySet()) {
        long rows;
        try (Connection c = reader(); var s = c.prepareStatement(list.getValue())) {
          s.setString(1, quarter);
          try (ResultSet rs = s.executeQuery()) {
            rs.next();
            rows = rs.getLong(1);
          }
        }
        assertTrue(rows > 1000, list.getKey() + ": the demo's quarter has more rows than a list used to show (" + rows + ")");
        Locator chart = page.locator("[data-test=chart-grid-component][data-test-chart-name=" + list.getKey() + "]");
        chart.locator(".dt-pagination li").first().waitFor(new Locator.WaitForOptions().setTimeout(60_000));
        // rows of every unit before a unit is chosen: each names its unit
        assertTrue(chart.locator("thead th").allInnerTexts().stream().map(String::strip).toList().contains("单位"),
            list.getKey() + " names each row's unit");
        int lastPage = chart.locator(".dt-pagination li").allInnerTexts().stream().map(String::strip)
            .filter(t -> t.matches("\\d+")).mapToInt(Integer::parseInt).max().orElse(0);
        assertEquals((rows + 49) / 50, lastPage, list.getKey() + " pages through every one of the quarter's " + rows + " rows");
        assertEquals(0, chart.locator("[data-test=row-count-label], .anticon-warning").count(),
            list.getKey() + " warns of a cut list");
        System.out.println(list.getKey() + ": " + rows + " rows of " + quarter + " in " + lastPage + " pages of 50");
      }
    }
  }

  @Test
  @Order(8)
  void indicatorDetailShowsWeightsAndTheIndicatorsAUnitLacks() throws Exception {
    String quarter = latestQuarter(true);
    String unit = null;
    List<String> lacking = new ArrayList<>();
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT unit_name, missing_indicators FROM kaoping.unit_score_by_period WHERE period = '" + quarter
            + "' AND missing_indicators IS NOT NULL ORDER BY unit_id LIMIT 1")) {
      if (rs.next()) {
        unit = rs.getString(1);
        for (String code : rs.getString(2).split(",")) {
          lacking.add(Labels.of(Labels.Kind.INDICATOR, code.strip()));
        }
      }
    }
    assertTrue(unit != null, "some unit of the demo lacks an indicator in " + quarter);
    try (LoggedIn session = loggedIn(SupersetServer.ADMIN, ADMIN_PASSWORD)) {
      Page page = session.context().newPage();
      openDashboard(page, "quarterly-review");
      Locator table = page.locator("[data-test=chart-grid-component][data-test-chart-name=指标明细]");
      List<String> headers = table.locator("thead th").allInnerTexts().stream().map(String::strip).toList();
      assertTrue(headers.containsAll(List.of("单位", "指标", "指标值", "权重", "有效权重", "指标得分")), "columns: " + headers);
      Set<String> shown = new TreeSet<>();
      for (Locator tr : table.locator("tbody tr").all()) {
        List<String> cells = tr.locator("td").allInnerTexts().stream().map(String::strip).toList();
        if (cells.get(0).equals(unit) && cells.get(2).equals("无数据")) {
          assertEquals("0.00", cells.get(4), "a lacking indicator's effective weight: " + cells);
          assertEquals("0.00", cells.get(5), "a lacking indicator's points: " + cells);
          if (cells.get(3).equals("—")) { // only when no unit of its group has the indicator in any period
            assertTrue(!weighedInGroup(unit, cells.get(1)), "a lacking indicator's weight the group's scores show: " + cells);
          } else {
            assertTrue(new BigDecimal(cells.get(3)).signum() > 0, "a lacking indicator's weight in the scheme: " + cells);
          }
          shown.add(cells.get(1));
        }
      }
      assertEquals(new TreeSet<>(lacking), shown, unit + "'s lacking indicators, each 无数据");
      table.screenshot(new Locator.ScreenshotOptions().setPath(SCREENSHOTS.resolve("quarterly-review-indicators.png")));
      System.out.println("指标明细: " + headers + "; " + unit + " lacks " + shown);
      assertPeopleShowTheirResponsibilities(page, quarter);
    }
  }

  /** 人员情况: each person's supervised items and target tasks due in the quarter, as the serving database counts them. */
  private static void assertPeopleShowTheirResponsibilities(Page page, String quarter) throws Exception {
    Map<String, String> expected = new TreeMap<>();
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT m.unit_name || ' ' || m.entity_name, r.completed_by_deadline, r.items_due, r.completed_early"
            + " FROM kaoping.responsibility_by_period r JOIN kaoping.metrics_by_period m ON m.level = 'PERSON'"
            + " AND m.staff_id = r.staff_id AND m.period_type = r.period_type AND m.period = r.period"
            + " WHERE r.period = '" + quarter + "'")) {
      while (rs.next()) {
        expected.put(rs.getString(1), rs.getLong(2) + " / " + rs.getLong(3) + (rs.getLong(4) > 0 ? "（提前 " + rs.getLong(4) + "）" : ""));
      }
    }
    assertFalse(expected.isEmpty(), "someone of the demo answers for an item settled in " + quarter);
    Locator table = page.locator("[data-test=chart-grid-component][data-test-chart-name=人员情况]");
    List<String> headers = table.locator("thead th").allInnerTexts().stream().map(String::strip).toList();
    int column = headers.indexOf("责任事项（按期/到期）");
    assertTrue(column >= 0 && headers.indexOf("单位") >= 0 && headers.indexOf("姓名") >= 0, "columns: " + headers);
    Map<String, String> shown = new TreeMap<>();
    int none = 0;
    for (Locator tr : table.locator("tbody tr").all()) {
      List<String> cells = tr.locator("td").allInnerTexts().stream().map(String::strip).toList();
      String who = cells.get(headers.indexOf("单位")) + " " + cells.get(headers.indexOf("姓名"));
      if (cells.get(column).equals("—")) {
        none++;
        assertFalse(expected.containsKey(who), who + " answers for items due in " + quarter + " but shows —");
      } else {
        shown.put(who, cells.get(column));
      }
    }
    assertEquals(expected, shown, "人员情况's 责任事项 against kaoping.responsibility_by_period");
    table.screenshot(new Locator.ScreenshotOptions().setPath(SCREENSHOTS.resolve("quarterly-review-people.png")));
    System.out.println("人员情况: " + shown.size() + " people answer for items due in " + quarter + ", " + none + " show —");
  }

  @Test
  @Order(9)
  void theOverviewReadsWithoutWrapsOrGiantSubtitles() throws Exception {
    try (LoggedIn session = loggedIn(SupersetServer.ADMIN, ADMIN_PASSWORD)) {
      Page page = session.context().newPage();
      for (String slug : List.of("overview", "target-warnings", "data-quality")) {
        openDashboard(page, slug);
        for (Locator chart : page.locator("[data-test=chart-grid-component]").all()) {
          String name = slug + " / " + chart.getAttribute("data-test-chart-name");
          Locator title = chart.locator("[data-test=editable-title]").first();
          Number lines = (Number) title.evaluate("""
              e => {
                const size = parseFloat(getComputedStyle(e).fontSize), tops = [];
                const text = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
                for (let n = text.nextNode(); n; n = text.nextNode()) {
                  const r = document.createRange();
                  r.selectNodeContents(n);
                  for (const box of r.getClientRects()) tops.push(box.top);
                }
                tops.sort((a, b) => a - b);
                return tops.filter((t, i) => i === 0 || t - tops[i - 1] > size * 0.6).length;
              }""");
          assertEquals(1, lines.intValue(), name + "'s title wraps onto " + lines + " lines");
          for (Locator sub : chart.locator(".subheader-line").all()) {
            double titleSize = fontSize(title);
            double size = fontSize(sub);
            assertTrue(size <= 2 * titleSize, name + "'s subtitle \"" + sub.innerText() + "\" is " + size
                + " px, its title " + titleSize + " px");
          }
        }
      }
      // the trend: a label for every month (the last not over reads （暂定）), the axis from 0
      List<String> months = new ArrayList<>();
      monthLabels().path("data").forEach(r -> months.add(r.path("period_label").asText()));
      assertTrue(months.size() >= 12 && months.get(months.size() - 1).endsWith("（暂定）"), "months: " + months);
      JsonNode form = chartForm("月度趋势：工作量比率、填报率、审阅率");
      assertEquals("0", form.path("xAxisLabelInterval").asText(), "every month labelled");
      assertEquals(0, form.path("y_axis_bounds").get(0).asInt(), "the y axis starts at 0");
      openDashboard(page, "overview");
      awaitChartsStill(page);
      page.locator("[data-test=chart-grid-component][data-test-chart-name^=月度趋势]").screenshot(
          new Locator.ScreenshotOptions().setPath(SCREENSHOTS.resolve("overview-trend.png")));
      System.out.println("月度趋势: " + months);
      Locator duties = page.locator("[data-test=chart-grid-component][data-test-chart-name^=职能履行]");
      duties.scrollIntoViewIfNeeded();
      awaitChartsStill(page);
      List<String> dutyRows = duties.locator("tbody tr").allInnerTexts();
      assertTrue(!dutyRows.isEmpty() && dutyRows.stream().allMatch(r -> r.contains("%")), "职能履行 rows: " + dutyRows);
      duties.screenshot(new Locator.ScreenshotOptions().setPath(SCREENSHOTS.resolve("overview-duties.png")));
      System.out.println("职能履行: " + dutyRows);
      assertPeriodsOpenedAndMarked(page);
    }
  }

  /**
   * The overview opens on the latest complete quarter, as the reports and the feed do, and says so above its charts and
   * in its ranking; a quarter not over reads 暂定 there. 目标任务预警 marks its latest month, not over in the demo, 暂定.
   */
  private void assertPeriodsOpenedAndMarked(Page page) throws Exception {
    String complete = latestQuarter(true);
    String provisional = latestQuarter(false);
    openDashboard(page, "overview");
    assertEquals(complete, overviewPeriodShown(page, complete), "the overview opens on the latest complete quarter");
    openDashboard(page, "overview", "?native_filters=" + URLEncoder.encode(chosen(filterId("overview", "统计期"),
        "period_label", provisional + "（暂定）"), StandardCharsets.UTF_8));
    assertEquals(provisional + "（暂定）", overviewPeriodShown(page, provisional + "（暂定）"), "a quarter not over is marked");
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("overview-provisional.png")));
    String latestMonth;
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT to_char(max(month),"
        + " 'YYYY-MM') FROM kaoping.target_task_warning")) {
      rs.next();
      latestMonth = rs.getString(1);
    }
    assertEquals(latestMonth, provisional.substring(0, 4) + "-12", "the demo's warnings run to its last month, not over");
    openDashboard(page, "target-warnings");
    String month = banner(page, "所选月份");
    assertTrue(month.contains(latestMonth + "（暂定）") && month.contains("暂定："), "目标任务预警 opens on its latest month, marked: "
        + month);
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("target-warnings-provisional.png")));
    System.out.println("统计期: the overview opens on " + complete + ", " + provisional + " reads （暂定）; 目标任务预警: " + month);
    assertTheMonthsRemindersListed(page);
  }

  /** Whether any unit of {@code unit}'s peer group has the indicator (by its Chinese name) among its points, any period. */
  private static boolean weighedInGroup(String unit, String indicatorName) throws Exception {
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT p.indicator"
        + " FROM kaoping.score_indicator_points p JOIN kaoping.unit_score_by_period u ON u.unit_id = p.entity_id"
        + " AND u.period = p.period WHERE p.level = 'UNIT' AND u.peer_group = (SELECT max(peer_group)"
        + " FROM kaoping.unit_score_by_period WHERE unit_name = '" + unit + "')")) {
      while (rs.next()) {
        if (Labels.of(Labels.Kind.INDICATOR, rs.getString(1)).equals(indicatorName)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * 三级提醒 on 目标任务预警 lists every reminder reached in the chosen month (the complete month with the most, so the
   * check has rows to count): as many rows as kaoping.reminder holds for it, each naming its level and recipient's role.
   */
  private void assertTheMonthsRemindersListed(Page page) throws Exception {
    String month;
    int expected;
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT to_char(reached_on,"
        + " 'YYYY-MM') AS m, count(*) FROM kaoping.reminder WHERE reached_on < date_trunc('month', (SELECT max(reached_on)"
        + " FROM kaoping.reminder)) GROUP BY 1 ORDER BY 2 DESC, 1 DESC LIMIT 1")) {
      assertTrue(rs.next(), "the demo reaches no reminder in a complete month");
      month = rs.getString(1);
      expected = rs.getInt(2);
    }
    openDashboard(page, "target-warnings", "?native_filters=" + URLEncoder.encode(chosen(filterId("target-warnings", "月份"),
        "month_label", month), StandardCharsets.UTF_8));
    Locator reminders = page.locator("[data-test=chart-grid-component][data-test-chart-name^=三级提醒]");
    reminders.scrollIntoViewIfNeeded();
    awaitChartsStill(page);
    List<String> rows = reminders.locator("tbody tr").allInnerTexts();
    assertEquals(expected, rows.size(), "三级提醒 rows for " + month + ": " + rows);
    assertTrue(rows.stream().allMatch(r -> r.matches("(?s).*(警铃|黄牌|红牌).*(责任人|分管领导|主要领导).*")), "三级提醒 rows: " + rows);
    reminders.screenshot(new Locator.ScreenshotOptions().setPath(SCREENSHOTS.resolve("target-warnings-reminders.png")));
    System.out.println("三级提醒: " + expected + " reminders reached in " + month);
  }

  /** The period the overview shows, as its banner and every row of its ranking name it (they must agree). */
  private static String overviewPeriodShown(Page page, String expected) {
    String said = banner(page, "所选统计期");
    assertTrue(said.contains("统计期 " + expected + "："), "the banner names the period: " + said);
    assertEquals(expected.endsWith("（暂定）"), said.contains("暂定："), "the banner says whether it is provisional: " + said);
    Locator ranking = page.locator("[data-test=chart-grid-component][data-test-chart-name^=单位排名]");
    List<String> headers = ranking.locator("thead th").allInnerTexts().stream().map(String::strip).toList();
    Set<String> periods = new TreeSet<>();
    for (Locator tr : ranking.locator("tbody tr").all()) {
      periods.add(tr.locator("td").nth(headers.indexOf("统计期")).innerText().strip());
    }
    assertEquals(1, periods.size(), "the ranking's periods: " + periods);
    return periods.iterator().next();
  }

  /** The text of a banner chart (what a filter chose, in words: a Handlebars chart's paragraph). */
  private static String banner(Page page, String name) {
    Locator banner = page.locator("[data-test=chart-grid-component][data-test-chart-name=" + name + "] .handlebars p");
    banner.first().waitFor(new Locator.WaitForOptions().setTimeout(60_000));
    return banner.first().innerText().strip();
  }

  private static double fontSize(Locator element) {
    return ((Number) element.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")).doubleValue();
  }

  /** A chart's saved form data, by its name. */
  private static JsonNode chartForm(String name) throws Exception {
    for (JsonNode chart : admin.list("api/v1/chart/")) {
      if (name.equals(chart.path("slice_name").asText())) {
        return new ObjectMapper().readTree(admin.get("api/v1/chart/" + chart.path("id").asLong()).path("result").path("params").asText());
      }
    }
    throw new AssertionError("no chart " + name);
  }

  /** The trend's x values: the overview's month labels, as Superset's query returns them, oldest first. */
  private static JsonNode monthLabels() {
    return query(admin, UNIT_OVERVIEW, List.of("period_label"), List.of("workload_ratio"),
        List.of(Map.of("col", "period_type", "op", "==", "val", "MONTH")), List.of(List.of("period_label", true)));
  }

  /** The overview's dataset, by its (Chinese) name. */
  static final String UNIT_OVERVIEW = "单位指标（按期）";

  /** Superset's answer to a query of a dataset (by its name) as {@code client} reads it (row-level security applies). */
  private static JsonNode query(SupersetClient client, String dataset, List<String> columns, List<String> metrics,
      List<Map<String, String>> filters, List<List<Object>> orderBy) {
    for (JsonNode d : admin.list("api/v1/dataset/")) {
      if (dataset.equals(d.path("table_name").asText())) {
        Map<String, Object> query = Map.of("datasource", Map.of("id", d.path("id").asLong(), "type", "table"), "queries",
            List.of(Map.of("columns", columns, "metrics", metrics, "filters", filters, "orderby", orderBy, "row_limit", 1000)),
            "result_type", "full");
        return client.post("api/v1/chart/data", query).path("result").get(0);
      }
    }
    throw new AssertionError("no dataset " + dataset);
  }

  /** Each row's figures equal the serving database's, in the dashboard's words. */
  private static void assertEqualTheServingDatabase(List<Map<String, String>> rows) throws Exception {
    Map<String, Map<String, String>> expected = expectedRanking();
    for (Map<String, String> row : rows) {
      Map<String, String> db = expected.get(row.get("考评期") + "|" + row.get("单位"));
      assertTrue(db != null, "row " + row + " is a unit and quarter of the serving database");
      assertEquals(0, new BigDecimal(db.get("score")).compareTo(new BigDecimal(row.get("得分").replace(",", ""))),
          "score of " + row);
      assertEquals(db.get("rank"), row.get("排名"), "rank of " + row);
      assertEquals(db.get("grade"), row.get("等次"), "grade of " + row);
      assertEquals(db.get("scoreChange"), row.get("得分变化"), "score change of " + row);
      assertEquals(db.get("rankChange"), row.get("名次变化"), "rank change of " + row);
    }
    System.out.println("季度排名: " + rows.size() + " rows equal the serving database");
  }

  /** The latest quarter of the serving database that is over ({@code complete}) or not; null if none. */
  private static String latestQuarter(boolean complete) throws Exception {
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT max(period) FROM kaoping.unit_score_by_period WHERE period_type = 'QUARTER' AND is_complete = " + complete)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  @Order(3)
  void aUnitLeaderSeesOnlyTheUnitsRows() throws Exception {
    DashboardDeployment.Unit unit = units.get(units.size() / 2);
    DashboardDeployment.leader(admin, unit.id(), "leader" + unit.id(), "leader-pw-" + unit.id());
    SupersetClient leader = SupersetClient.login(superset.url(), "leader" + unit.id(), "leader-pw-" + unit.id());
    int checked = 0;
    for (JsonNode dataset : leader.list("api/v1/dataset/")) {
      JsonNode detail = admin.get("api/v1/dataset/" + dataset.path("id").asLong()).path("result");
      boolean hasUnit = false;
      for (JsonNode c : detail.path("columns")) {
        hasUnit |= "unit_id".equals(c.path("column_name").asText());
      }
      if (!hasUnit) {
        continue;
      }
      Set<Long> everyUnit = unitIds(admin, dataset.path("id").asLong());
      Set<Long> expected = everyUnit.contains(unit.id()) ? Set.of(unit.id()) : Set.of();
      assertEquals(expected, unitIds(leader, dataset.path("id").asLong()),
          "the leader's rows of dataset " + detail.path("table_name").asText() + " (every unit: " + everyUnit + ")");
      if (everyUnit.size() > 1 && !expected.isEmpty()) {
        checked++;
      }
    }
    assertTrue(checked > 0, "some dataset holds several units' rows, the leader's among them");
    Set<String> leadersDashboards = new TreeSet<>();
    leader.list("api/v1/dashboard/").forEach(d -> leadersDashboards.add(d.path("slug").asText()));
    assertTrue(leadersDashboards.contains("quarterly-review"), "the leader's dashboards: " + leadersDashboards);
    assertFalse(leadersDashboards.contains("data-quality"), "the data team's board is not listed: " + leadersDashboards);
    assertThrows(SupersetException.class, () -> leader.get("api/v1/dashboard/data-quality"), "nor opened through the API");
    Set<String> dataQualityDatasets = bundle.datasetUuidsOf("data-quality");
    for (JsonNode dataset : leader.list("api/v1/dataset/")) {
      String uuid = admin.get("api/v1/dataset/" + dataset.path("id").asLong()).path("result").path("uuid").asText();
      assertFalse(dataQualityDatasets.contains(uuid), "the leader reads no dataset of the data-quality board: "
          + dataset.path("table_name").asText());
    }
    try (LoggedIn session = loggedIn("leader" + unit.id(), "leader-pw-" + unit.id())) {
      Page home = session.context().newPage();
      home.navigate(superset.url().resolve("superset/welcome/").toString(), new Page.NavigateOptions().setTimeout(180_000));
      assertTrue(home.url().contains("/superset/dashboard/" + DashboardDeployment.LANDING.get("kaoping_unit_") + "/"),
          "the leader lands on the dashboard a leader reads first, not Superset's home: " + home.url());
      List<Map<String, String>> rows = rankingRows(session.context().newPage());
      assertFalse(rows.isEmpty(), "the leader sees the unit's ranking rows");
      rows.forEach(r -> assertEquals(unit.name(), r.get("单位"), "a row of another unit: " + r));
      rows.forEach(r -> assertTrue(r.get("排名").matches("\\d+ / \\d+"), "the leader's rank reads n / N: " + r));
      assertLeaderComparesWithAverages(session.context().newPage(), unit);
      assertLeadersOverviewCompares(leader, session.context().newPage(), unit);
      assertLeaderOpensOnlyTheUnitsReport(session.context(), unit);
      Page page = session.context().newPage();
      page.navigate(superset.url().resolve("superset/dashboard/data-quality/").toString(),
          new Page.NavigateOptions().setTimeout(180_000));
      page.waitForLoadState(LoadState.NETWORKIDLE, new Page.WaitForLoadStateOptions().setTimeout(180_000));
      page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("data-quality-as-leader.png")));
      assertEquals(0, page.locator("[data-test=chart-grid-component]").count(), "the leader's browser shows no chart of"
          + " the data-quality board, at " + page.url());
      String refusal = page.locator("body").innerText();
      assertTrue(refusal.contains("无权打开此看板") && refusal.contains("数据质量与运行"), "the refusal says why, in Chinese: " + refusal);
      assertFalse(refusal.contains("404") || refusal.toLowerCase(java.util.Locale.ROOT).contains("not found"),
          "not Superset's English 404: " + refusal);
    }
  }

  /**
   * On the overview a leader's one unit is not alone: its workload-ratio bar stands beside its peer group's and the
   * city's ratios (Σ ÷ Σ of the serving database), and the load-band donut counts the city's units, not their one.
   */
  private void assertLeadersOverviewCompares(SupersetClient leader, Page page, DashboardDeployment.Unit unit) throws Exception {
    String quarter = latestQuarter(true);
    List<Map<String, String>> thisQuarter = List.of(Map.of("col", "period", "op", "==", "val", quarter));
    JsonNode ratios = query(leader, UNIT_OVERVIEW, List.of("unit_name"), List.of("workload_ratio", "peer_ratio", "city_ratio"),
        thisQuarter, List.of()).path("data");
    assertEquals(1, ratios.size(), "the leader's one unit: " + ratios);
    try (Connection c = reader(); var s = c.prepareStatement("""
        SELECT sum(workload_minutes)::float / sum(expected_minutes),
               sum(workload_minutes) FILTER (WHERE peer_group = (SELECT peer_group FROM kaoping.metrics_by_period
                 WHERE level = 'UNIT' AND period = ? AND entity_id = ?))::float
               / sum(expected_minutes) FILTER (WHERE peer_group = (SELECT peer_group FROM kaoping.metrics_by_period
                 WHERE level = 'UNIT' AND period = ? AND entity_id = ?))
        FROM kaoping.metrics_by_period WHERE level = 'UNIT' AND period = ?""")) {
      s.setString(1, quarter);
      s.setLong(2, unit.id());
      s.setString(3, quarter);
      s.setLong(4, unit.id());
      s.setString(5, quarter);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        assertEquals(rs.getDouble(1), ratios.get(0).path("city_ratio").asDouble(), 1e-9, "the city's ratio: " + ratios);
        assertEquals(rs.getDouble(2), ratios.get(0).path("peer_ratio").asDouble(), 1e-9, "the peer group's ratio: " + ratios);
      }
    }
    JsonNode form = chartForm("各单位工作量比率与同类组、全市平均（90 % 与 100 % 线）");
    List<String> lines = new ArrayList<>();
    form.path("metrics").forEach(m -> lines.add(m.asText()));
    assertTrue(lines.containsAll(List.of("peer_ratio", "city_ratio")), "the bars' lines include the averages: " + lines);
    int counted = 0;
    for (JsonNode band : query(leader, "单位负荷分布（单位数）", List.of("load_band"), List.of("band_units"), thisQuarter,
        List.of()).path("data")) {
      counted += band.path("band_units").asInt();
    }
    assertEquals(units.size(), counted, "the leader's load-band donut counts every unit of the city");
    openDashboard(page, "overview");
    assertChartsHealthy(page, "overview");
    // the whole board in a viewport as tall as the page: a full-page capture resizes the page, and Superset re-renders every
    // chart on a resize, so it could catch them blank
    page.setViewportSize(1600, ((Number) page.evaluate("document.documentElement.scrollHeight")).intValue());
    awaitCharts(page, "overview");
    awaitChartsStill(page);
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("overview-as-leader.png")));
    System.out.println("the leader's overview: " + ratios + "; the donut counts " + counted + " units");
  }

  /**
   * The leader opens the unit's report of the latest complete quarter from 季度考评 (a PDF served by Superset to the logged-in
   * reader), and no other unit's nor the city-wide summary.
   */
  private void assertLeaderOpensOnlyTheUnitsReport(BrowserContext context, DashboardDeployment.Unit unit) throws Exception {
    String quarter = latestQuarter(true);
    Page page = context.newPage();
    openDashboard(page, "quarterly-review");
    Locator links = page.locator("[data-test=chart-grid-component][data-test-chart-name^=履职评估报告] tbody a");
    assertEquals(1, links.count(), "the leader's one report link");
    String href = links.first().getAttribute("href");
    assertEquals("/kaoping/reports/" + quarter + "/" + unit.id(), href);
    assertIsPdf(context, href);
    long other = units.stream().filter(u -> u.id() != unit.id()).findFirst().orElseThrow().id();
    for (String closed : List.of("/kaoping/reports/" + quarter + "/" + other, "/kaoping/reports/" + quarter + "/city")) {
      var response = context.request().get(superset.url().resolve(closed).toString());
      assertEquals(403, response.status(), closed);
      assertTrue(response.text().contains("无权打开此报告"), "refused in Chinese: " + response.text());
    }
  }

  /** The report at {@code href} opens as a PDF for the reader of {@code context}. */
  private static void assertIsPdf(BrowserContext context, String href) {
    var response = context.request().get(superset.url().resolve(href).toString());
    assertEquals(200, response.status(), href + ": " + response.statusText());
    assertEquals("application/pdf", response.headers().get("content-type"), href);
    assertTrue(new String(response.body(), 0, 5, StandardCharsets.ISO_8859_1).equals("%PDF-"), href + " is a PDF");
  }

  /**
   * The leader's unit beside its peer group's and the city's averages (of the serving database's scores, for the
   * quarter the dashboard opens on), not a lone row.
   */
  private void assertLeaderComparesWithAverages(Page page, DashboardDeployment.Unit unit) throws Exception {
    String quarter = latestQuarter(true);
    List<String> expected = new ArrayList<>();
    try (Connection c = reader(); var s = c.prepareStatement("""
        SELECT u.score, round(avg(g.score), 2), count(g.*), (SELECT round(avg(score), 2) FROM kaoping.unit_score_by_period
                 WHERE period = u.period AND period_type = 'QUARTER')
        FROM kaoping.unit_score_by_period u JOIN kaoping.unit_score_by_period g ON g.period = u.period
          AND g.period_type = u.period_type AND g.peer_group = u.peer_group
        WHERE u.unit_id = ? AND u.period = ? AND u.period_type = 'QUARTER' GROUP BY u.score, u.period""")) {
      s.setLong(1, unit.id());
      s.setString(2, quarter);
      try (ResultSet rs = s.executeQuery()) {
        assertTrue(rs.next(), "the leader's unit has a score in " + quarter);
        expected.add("本单位|" + rs.getBigDecimal(1));
        expected.add("同类组平均（" + rs.getInt(3) + " 个单位）|" + rs.getBigDecimal(2));
        expected.add("全市平均（" + units.size() + " 个单位）|" + rs.getBigDecimal(4));
      }
    }
    openDashboard(page, "quarterly-review");
    Locator table = page.locator("[data-test=chart-grid-component][data-test-chart-name=本单位与同类组、全市平均]");
    List<String> headers = table.locator("thead th").allInnerTexts().stream().map(String::strip).toList();
    List<String> shown = new ArrayList<>();
    for (Locator tr : table.locator("tbody tr").all()) {
      List<String> cells = tr.locator("td").allInnerTexts().stream().map(String::strip).toList();
      assertEquals(unit.name(), cells.get(headers.indexOf("单位")), "a row of another unit: " + cells);
      shown.add(cells.get(headers.indexOf("对比")) + "|" + cells.get(headers.indexOf("得分")));
    }
    assertEquals(expected, shown, "the leader's unit beside its peer group and the city");
    table.screenshot(new Locator.ScreenshotOptions().setPath(SCREENSHOTS.resolve("quarterly-review-leader-comparison.png")));
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("quarterly-review-as-leader.png")).setFullPage(true));
    System.out.println("the leader of " + unit.name() + " sees " + shown);
  }

  @Test
  @Order(4)
  void deployingTwiceChangesNoCounts() {
    int rules = admin.list("api/v1/rowlevelsecurity/").size();
    int roles = admin.list("api/v1/security/roles/").size();
    DashboardDeployment.Result again = DashboardDeployment.deploy(admin, bundle, servingForSuperset, units, System.out::println);
    assertEquals(firstDeploy, again);
    assertEquals(bundle.dashboardCount(), again.dashboards());
    assertEquals(bundle.chartCount(), again.charts());
    assertEquals(rules, admin.list("api/v1/rowlevelsecurity/").size());
    assertEquals(roles, admin.list("api/v1/security/roles/").size());
    assertEquals(units.size(), rules, "one rule per unit");
  }

  @Test
  @Order(5)
  void postSurplusIsNeverANegativeZero() throws Exception {
    int wouldBeNegativeZero;
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT count(*) FROM (SELECT sum(post_surplus) AS v FROM kaoping.headcount_efficiency_by_period"
            + " GROUP BY level, entity_id, period) x WHERE v > -0.05 AND v < 0")) {
      rs.next();
      wouldBeNegativeZero = rs.getInt(1);
    }
    int checked = 0;
    for (JsonNode dataset : admin.list("api/v1/dataset/")) {
      String table = dataset.path("table_name").asText();
      String entity = Map.of(UNIT_OVERVIEW, "unit_name", "科室指标（按期）", "section_name").get(table);
      if (entity == null) {
        continue;
      }
      Map<String, Object> query = Map.of("datasource", Map.of("id", dataset.path("id").asLong(), "type", "table"), "queries",
          List.of(Map.of("columns", new ArrayList<>(new TreeSet<>(List.of("period", "unit_name", entity))),
              "metrics", List.of("post_surplus_sum"),
              "row_limit", 100000)), "result_type", "full");
      for (JsonNode row : admin.post("api/v1/chart/data", query).path("result").get(0).path("data")) {
        double v = row.path("post_surplus_sum").asDouble();
        // shown with one decimal (.1f): anything in (-0.05, 0), or -0 itself, would read -0.0
        assertFalse(Double.compare(v, -0.05) > 0 && Double.compare(v, 0.0) < 0, table + ": " + row);
        checked++;
      }
    }
    assertTrue(checked > 0, "post surplus sums checked");
    System.out.println("编制余缺: " + checked + " sums checked, none -0.0 (" + wouldBeNegativeZero
        + " unrounded sums of the serving database lie in (-0.05, 0))");
  }

  /** The distinct unit ids {@code client} reads from a dataset (row-level security applies). */
  private static Set<Long> unitIds(SupersetClient client, long dataset) {
    Map<String, Object> query = Map.of("datasource", Map.of("id", dataset, "type", "table"), "queries",
        List.of(Map.of("columns", List.of("unit_id"), "metrics", List.of(), "row_limit", 100000)), "result_type", "full");
    Set<Long> ids = new TreeSet<>();
    client.post("api/v1/chart/data", query).path("result").get(0).path("data").forEach(r -> ids.add(r.path("unit_id").asLong()));
    return ids;
  }

  private List<Map<String, String>> rankingRows(Page page) throws Exception {
    return rankingRows(page, null);
  }

  /** The ranking's rows, of {@code label} chosen in the 考评期 filter (by the dashboard URL), or of the default. */
  private List<Map<String, String>> rankingRows(Page page, String label) throws Exception {
    openDashboard(page, "quarterly-review", label == null ? "" : "?native_filters=" + URLEncoder.encode(
        chosen(filterId("quarterly-review", "考评期"), "period_label", label), StandardCharsets.UTF_8));
    Locator chart = page.locator("[data-test=chart-grid-component][data-test-chart-name=季度排名]");
    assertEquals(1, chart.count(), "quarterly-review has the chart 季度排名");
    // the table lays out its (sticky) header after the chart container appears
    chart.locator("thead th").first().waitFor(new Locator.WaitForOptions().setTimeout(60_000));
    List<String> headers = chart.locator("thead th").allInnerTexts().stream().map(String::strip).toList();
    for (String h : List.of("考评期", "单位", "得分", "等次", "排名")) {
      assertTrue(headers.contains(h), "column " + h + " in " + headers);
    }
    List<Map<String, String>> rows = new ArrayList<>();
    for (Locator tr : chart.locator("tbody tr").all()) {
      List<String> cells = tr.locator("td").allInnerTexts();
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < headers.size() && i < cells.size(); i++) {
        row.put(headers.get(i), cells.get(i).strip());
      }
      rows.add(row);
    }
    return rows;
  }

  private static Map<String, Map<String, String>> expectedRanking() throws Exception {
    Map<String, Map<String, String>> out = new HashMap<>();
    try (Connection c = reader(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT period, unit_name, score, grade, rank_in_group, score_change, rank_change, is_complete, group_size"
            + " FROM kaoping.unit_score_by_period WHERE period_type = 'QUARTER'")) {
      while (rs.next()) {
        // the rank as the PDF report shows it: the place within the peer group / the units ranked in it
        String rank = rs.getObject(5) == null ? "—" : rs.getInt(5) + " / " + rs.getInt(9);
        out.put(rs.getString(1) + (rs.getBoolean(8) ? "" : "（暂定）") + "|" + rs.getString(2), Map.of("score", String.valueOf(rs.getBigDecimal(3)),
            "grade", gradeLabel(rs.getString(4)), "rank", rank,
            "scoreChange", scoreChangeLabel(rs.getBigDecimal(6)), "rankChange", rankChangeLabel((Integer) rs.getObject(7))));
      }
    }
    return out;
  }

  /** A score change in words, as the rank change is (a text starting with + or - would be quoted in the Excel export). */
  private static String scoreChangeLabel(BigDecimal change) {
    return change == null ? "—" : change.signum() > 0 ? "上升 " + change.toPlainString() + " 分"
        : change.signum() < 0 ? "下降 " + change.negate().toPlainString() + " 分" : "持平";
  }

  /** A rank change as the PDF report words it (Words.rankChange): positive means the unit moved up. */
  private static String rankChangeLabel(Integer change) {
    return change == null ? "—" : change > 0 ? "上升 " + change + " 位" : change < 0 ? "下降 " + -change + " 位" : "持平";
  }

  /** The dashboards label grades in Chinese (DOMAIN.md's vocabulary). */
  private static String gradeLabel(String grade) {
    return switch (grade) {
      case "EXCELLENT" -> "优秀";
      case "GOOD" -> "良好";
      case "ADEQUATE" -> "一般";
      default -> grade;
    };
  }

  /** A logged-in browser context; a request still being routed while it closes must not fail the test. */
  private record LoggedIn(BrowserContext context) implements AutoCloseable {
    @Override
    public void close() {
      context.pages().forEach(Page::close);
      try {
        context.close();
      } catch (TargetClosedError e) {
        // Playwright re-arms the request filter of a late request on the closing context: it is closed, as asked
      }
    }
  }

  private static LoggedIn loggedIn(String user, String password) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1600, 1200).setLocale("zh-CN"));
    // Only Superset itself: no telemetry or font hosts reached from the test.
    context.route("**/*", route -> {
      if (URI.create(route.request().url()).getHost().equals("127.0.0.1")) {
        route.resume();
      } else {
        route.abort();
      }
    });
    Page page = context.newPage();
    // A form filled before React took it over can be submitted empty on a busy machine: try again, within a deadline.
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
    for (int attempt = 1; ; attempt++) {
      try {
        page.navigate(superset.url().resolve("login/").toString(), new Page.NavigateOptions().setTimeout(180_000));
        page.waitForLoadState(LoadState.NETWORKIDLE, new Page.WaitForLoadStateOptions().setTimeout(180_000));
      } catch (TimeoutError slow) {
        // a loaded machine can keep the login page from loading once: try again, within the deadline
        if (System.nanoTime() > deadline) {
          throw slow;
        }
        continue;
      }
      Locator name = page.locator("[data-test=username-input]");
      Locator secret = page.locator("[data-test=password-input]");
      name.fill(user);
      secret.fill(password);
      if (name.inputValue().equals(user) && secret.inputValue().equals(password)) {
        page.locator("[data-test=login-button]").click();
        try {
          page.waitForURL(url -> !url.contains("/login"), new Page.WaitForURLOptions().setTimeout(60_000));
          break;
        } catch (TimeoutError stillOnLogin) {
          // checked below
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(user + " could not log in after " + attempt + " attempts; the login page says: "
            + page.locator("body").innerText());
      }
    }
    page.close();
    return new LoggedIn(context);
  }

  /** The id of a dashboard's native filter, by its name. */
  private static String filterId(String slug, String name) throws Exception {
    JsonNode metadata = new ObjectMapper().readTree(admin.get("api/v1/dashboard/" + slug).path("result").path("json_metadata").asText());
    for (JsonNode f : metadata.path("native_filter_configuration")) {
      if (name.equals(f.path("name").asText())) {
        return f.path("id").asText();
      }
    }
    throw new AssertionError(slug + " has no filter " + name);
  }

  /** A native filter's state with one value chosen, as Superset reads it from the URL parameter native_filters (rison). */
  private static String chosen(String filterId, String column, String value) {
    String id = "'" + filterId + "'";
    String val = "!('" + value + "')";
    return "(" + id + ":(id:" + id + ",extraFormData:(filters:!((col:" + column + ",op:IN,val:" + val + "))),"
        + "filterState:(value:" + val + "),ownState:()))";
  }

  private static void openDashboard(Page page, String slug) {
    openDashboard(page, slug, "");
  }

  private static void openDashboard(Page page, String slug, String query) {
    page.navigate(superset.url().resolve("superset/dashboard/" + slug + "/" + query).toString(),
        new Page.NavigateOptions().setTimeout(180_000));
    page.locator("[data-test=chart-grid-component]").first().waitFor(new Locator.WaitForOptions().setTimeout(180_000));
    awaitCharts(page, slug);
  }

  /** Waits until nothing loads and every chart cell holds a rendered chart or an error. */
  private static void awaitCharts(Page page, String slug) {
    page.waitForFunction("""
        () => document.querySelectorAll('[data-test=loading-indicator]').length === 0
          && [...document.querySelectorAll('[data-test=chart-grid-component]')].every(c =>
               c.querySelector('[data-test=chart-container]') || c.querySelector('[role=alert]'))""",
        null, new Page.WaitForFunctionOptions().setTimeout(240_000).setPollingInterval(500));
  }

  /**
   * Waits until ECharts' growth animation is over (every canvas the same on two polls in a row), so the
   * screenshot shows the finished charts, not bars in mid-growth.
   */
  private static void awaitChartsStill(Page page) {
    page.waitForFunction("""
        () => {
          const frames = [...document.querySelectorAll('canvas')].map(c => c.toDataURL());
          const before = window.kaopingFrames;
          window.kaopingFrames = frames;
          return before !== undefined && before.length === frames.length && before.every((f, i) => f === frames[i]);
        }""", null, new Page.WaitForFunctionOptions().setTimeout(120_000).setPollingInterval(500));
  }

  private static void assertChartsHealthy(Page page, String slug) {
    for (Locator chart : page.locator("[data-test=chart-grid-component]").all()) {
      String name = chart.getAttribute("data-test-chart-name");
      Locator alert = chart.locator("[role=alert]");
      assertEquals(0, alert.count(), slug + " / " + name + " shows an error: "
          + (alert.count() > 0 ? alert.first().innerText() : ""));
      assertEquals(1, chart.locator("[data-test=chart-container]").count(), slug + " / " + name + " rendered");
      String text = chart.innerText();
      for (String empty : EMPTY_TEXTS) {
        assertFalse(text.contains(empty), slug + " / " + name + " shows \"" + empty + "\"");
      }
    }
  }

  /**
   * What a reader reads on every chart: no Superset placeholder for a missing value or mistranslation
   * ({@link #MISWORDS}), no signed zero in a cell ("-0.0", "+0"), and a table's search box counting its rows in Chinese.
   */
  private static void assertReadersWords(Page page, String slug) {
    for (Locator chart : page.locator("[data-test=chart-grid-component]").all()) {
      String name = slug + " / " + chart.getAttribute("data-test-chart-name");
      String text = chart.innerText();
      for (String wrong : MISWORDS) {
        assertFalse(text.contains(wrong), name + " shows \"" + wrong + "\": " + text);
      }
      for (String cell : chart.locator("td").allInnerTexts()) {
        assertFalse(cell.strip().matches("[+\\-\u2212]0(\\.0+)?"), name + " shows a signed zero: " + cell);
      }
      for (Locator search : chart.locator("input[placeholder]").all()) { // a table's search box
        assertTrue(search.getAttribute("placeholder").matches("共 \\d+ 条"), name + "'s search box says: "
            + search.getAttribute("placeholder"));
        assertTrue(search.getAttribute("aria-label").matches("搜索 \\d+ 条记录"), name + "'s search box is read as: "
            + search.getAttribute("aria-label"));
      }
      for (Locator pageSize : chart.locator(".dt-select-page-size").all()) {
        assertTrue(pageSize.innerText().matches("(?s).*显示\\s*\\d+\\s*条/页\\s*"), name + "'s page size reads: " + pageSize.innerText());
      }
    }
  }

  /** A data-quality rule's code: (a rule family).(a name), not a table like staging.unit. */
  private static final Pattern RULE_CODE = Pattern.compile(
      "(?<![a-z_.])(work_log|log_review|service_case|supervision_item|task_progress|staff|unit)\\.[a-z][a-z0-9_]*");

  /**
   * The data-quality board in Chinese: a rule's code appears only in parentheses after its Chinese description, no
   * disposition, refresh scope or scheme name is shown by its English code, and no chart groups by a code column.
   */
  private static void assertDataQualityInChinese(Page page) {
    String text = String.join("\n", page.locator("[data-test=chart-grid-component]").allInnerTexts());
    Matcher code = RULE_CODE.matcher(text);
    int described = 0;
    while (code.find()) {
      String cell = text.substring(Math.max(text.lastIndexOf('\n', code.start()), text.lastIndexOf('\t', code.start())) + 1,
          code.start());
      assertTrue(cell.endsWith("（") && cell.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)
          && text.startsWith("）", code.end()), "rule " + code.group() + " without its Chinese description before it: "
          + cell + code.group());
      described++;
    }
    assertTrue(described > 0, "the board lists rules (the demo breaks some): " + text);
    for (String english : List.of("EXCLUDED", "FLAGGED", "full rebuild", "incremental", "nothing changed", "built-in")) {
      assertFalse(text.contains(english), "data-quality shows \"" + english + "\"");
    }
    for (JsonNode chart : admin.get("api/v1/dashboard/data-quality/charts").path("result")) {
      List<String> shown = new ArrayList<>();
      for (String field : List.of("groupby", "all_columns")) {
        chart.path("form_data").path(field).forEach(c -> shown.add(c.asText()));
      }
      for (String codeColumn : List.of("rule", "disposition", "refresh_scope", "scheme_name")) {
        assertFalse(shown.contains(codeColumn), chart.path("slice_name").asText() + " shows " + codeColumn + " as a code: " + shown);
      }
    }
    System.out.println("data-quality: " + described + " rule codes, each beside its Chinese description");
  }

  private static Connection reader() throws Exception {
    return DriverManager.getConnection(serving.jdbcUrl(), serving.readerRole(), null);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
