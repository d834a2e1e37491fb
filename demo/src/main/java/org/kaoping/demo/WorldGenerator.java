package org.kaoping.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.kaoping.demo.World.Category;
import org.kaoping.demo.World.Duty;
import org.kaoping.demo.World.MutualEvaluation;
import org.kaoping.demo.World.Review;
import org.kaoping.demo.World.SatisfactionRating;
import org.kaoping.demo.World.Section;
import org.kaoping.demo.World.ServiceCase;
import org.kaoping.demo.World.ServiceItem;
import org.kaoping.demo.World.SpecialAssessment;
import org.kaoping.demo.World.Staff;
import org.kaoping.demo.World.SupervisionItem;
import org.kaoping.demo.World.TargetTask;
import org.kaoping.demo.World.TaskMonth;
import org.kaoping.demo.World.Transfer;
import org.kaoping.demo.World.Unit;
import org.kaoping.demo.World.WorkLog;
import org.kaoping.warehouse.WorkingCalendar;

/**
 * Generates a deterministic demo world: the same seed and scale give the same world, row for row.
 *
 * <p>Calibrated to the seed figures (Linyi 2018): city-unit workload ratios average about 100 %,
 * a large minority above 100 %, a handful below 90 %. Each unit gets a target ratio from a normal
 * spread (mean 1.00, sd 0.075); people log that load, inflated by {@link #LOSS_COMPENSATION} for
 * the minutes that never count (missing days, drafts, returned logs).
 *
 * <p>Each unit is generated on its own ({@link #unit}) from random streams derived from the seed and
 * the unit's id, and its rows' ids are the unit's id times a block plus a sequence within the unit,
 * so any unit is generated without its predecessors and a world of any size streams in constant memory.
 */
public final class WorldGenerator {
  /** Minutes in the 100 % working day (7 hours). */
  static final int FULL_DAY_MINUTES = 420;
  /** Share of logged minutes that never count (missing days, drafts, returns), measured on the default world. */
  static final double LOSS_COMPENSATION = 1.075;
  /** Id block per unit of people, sections, service items, supervision items and target tasks. */
  static final long ORG_BLOCK = 1_000;
  /** Id block per unit of work logs, reviews and service cases. */
  static final long EVENT_BLOCK = 100_000;
  /** The nine common categories with the share of working minutes each gets (LEAVE is drawn apart). */
  static final String[][] COMMON_CATEGORIES = {
      {"BUSINESS", "业务工作"}, {"PARTY_BUILDING", "党建工作"}, {"SPECIAL_TASK", "专项工作"},
      {"WRITING", "文字材料"}, {"MEETING_TRAINING", "会议培训"}, {"BUSINESS_TRIP", "出差管理"},
      {"INSPECTION_RESEARCH", "检查调研"}, {"LEAVE", "休假管理"}, {"COMMENDATION_DISCIPLINE", "表彰奖惩"}};
  private static final String[] WORK_CATEGORIES = {
      "BUSINESS", "PARTY_BUILDING", "SPECIAL_TASK", "WRITING", "MEETING_TRAINING", "BUSINESS_TRIP",
      "INSPECTION_RESEARCH", "COMMENDATION_DISCIPLINE", "UNIT_OWN"};
  private static final double[] WORK_CATEGORY_WEIGHTS = {0.44, 0.08, 0.12, 0.12, 0.12, 0.03, 0.06, 0.01, 0.02};

  private static final String[][] CITY_UNITS = {
      {"市委办公室", "PARTY"}, {"市委组织部", "PARTY"}, {"市委宣传部", "PARTY"}, {"市委政法委员会", "PARTY"},
      {"市发展和改革委员会", "GOVERNMENT"}, {"市教育局", "GOVERNMENT"}, {"市财政局", "GOVERNMENT"},
      {"市人力资源和社会保障局", "GOVERNMENT"}, {"市自然资源和规划局", "GOVERNMENT"}, {"市住房和城乡建设局", "GOVERNMENT"},
      {"市交通运输局", "GOVERNMENT"}, {"市农业农村局", "GOVERNMENT"}, {"市卫生健康委员会", "GOVERNMENT"},
      {"市市场监督管理局", "GOVERNMENT"}, {"市行政审批服务局", "GOVERNMENT"}, {"市大数据中心", "INSTITUTION"},
      {"市公共资源交易中心", "INSTITUTION"}, {"市档案馆", "INSTITUTION"}, {"市机关事务服务中心", "INSTITUTION"},
      {"市政务服务中心", "INSTITUTION"}};
  /**
   * Golmud's grade rules in the demo: the first supervised item of these units falling due in the third quarter draws
   * a penalty that caps a grade (诫勉 bars EXCELLENT, 追责 makes it ADEQUATE; 督查 penalises by the gravity of what it
   * finds, not only lateness); the item is completed on its deadline day, so it settles in that quarter. Without the
   * penalties the township is EXCELLENT in that quarter and the finance bureau GOOD, and with them their scores alone
   * would keep those grades: the caps lower them.
   */
  private static final Map<String, String> GOLMUD_PENALTIES = Map.of("第4镇人民政府", "ADMONITION",
      "市财政局", "ACCOUNTABILITY");
  private static final int GOLMUD_QUARTER = 2;
  /** Every fifth supervised item (ids ending in 2 or 7) is assigned to its unit without a responsible person. */
  static final long UNNAMED_SUPERVISION_EVERY = 5;
  private static final String[] SECTION_NAMES = {"办公室", "综合科", "业务一科", "业务二科", "政策法规科", "督查科"};
  /** The duties (职能任务) of each section by its name above: its first two, and the third for every other section. */
  private static final String[][] SECTION_DUTIES = {
      {"公文运转与档案管理", "会务与后勤保障", "机关财务管理"}, {"综合文稿起草", "统计与信息报送", "年度考核组织"},
      {"行业监管执法", "项目审核把关", "行业发展指导"}, {"政策宣传解读", "服务对象走访", "投诉举报受理"},
      {"规范性文件合法性审查", "行政复议应诉", "普法宣传"}, {"重点工作督查", "问题整改跟踪", "督查通报"}};
  /** Duties of every unit as a whole, which its leaders and, now and then, its sections serve. */
  private static final String[] UNIT_DUTIES = {"贯彻落实上级决策部署", "拟订发展规划和年度计划"};
  /** A duty of every unit that no log serves in the demo (职能缺失): its register lists it, nothing happens under it. */
  static final String DORMANT_DUTY = "突发事件应急处置";
  /**
   * 职责交叉 by name: every fourth unit (ids 1, 5, 9, …) claims this duty under its own spelling, so two city government
   * units (5 and 9) claim one duty; the overlap mart compares names without spaces and punctuation.
   */
  static final String[] CONTESTED_DUTY = {"安全生产监督检查", "安全生产监督、检查"};
  /** 职责交叉 by the boundary list: the units with ids 3, 7, 11, … each hold a duty of this shared code. */
  static final String SHARED_DUTY_CODE = "JC-01";
  /** Share of work logs (LEAVE apart) that name the duty they served. */
  static final double LOGS_WITH_DUTY = 0.9;
  private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
  private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "涛", "明", "超", "霞", "平", "刚", "兰"};

  private static final long ORGANISATION_STREAM = 1;
  private static final long LOG_STREAM = 2;
  private static final long APPROVAL_STREAM = 3;
  /** Resubmissions and their second round: apart, so that a log's later draws do not hang on whether it came back. */
  private static final long ROUND_STREAM = 4;
  /** The duty each log serves: apart, so the register leaves every other draw as it was. */
  private static final long DUTY_STREAM = 5;
  /** Share of returned logs that their authors correct and submit again (a second review round). */
  static final double RESUBMITTED_SHARE = 0.6;
  /** Special assessments, mutual evaluation and public satisfaction: apart, so every other draw stays as it was. */
  private static final long EVALUATION_STREAM = 6;
  /** Some of Golmud's 16 special assessments (专项考核); each unit is assessed in one of them a quarter. */
  static final String[] SPECIAL_ASSESSMENTS = {"安全生产", "党风廉政建设", "信访维稳", "意识形态工作", "平安建设", "法治政府建设"};
  /** How many other units each unit's leadership team scores in the mutual evaluation (单位互评): the next ones by id. */
  static final int MUTUAL_RATED_UNITS = 8;
  /** Share of completed service cases whose citizen rates the window (社会评价). */
  static final double RATED_CASE_SHARE = 0.4;
  private static final String[] RATING_CHANNELS = {"QR", "SMS", "WINDOW"};

  private final DemoScale scale;
  private final WorkingCalendar calendar;
  private final int cityUnits;
  private final double[] cityTargets;

  private WorldGenerator(DemoScale scale, WorkingCalendar calendar) {
    this.scale = scale;
    this.calendar = calendar;
    this.cityUnits = Math.max(1, scale.units() - scale.units() / 4);
    this.cityTargets = spreadTargets(cityUnits, stream(scale.seed(), 0, 0));
  }

  /** The generator of {@code scale}'s world, unit by unit. */
  public static WorldGenerator of(DemoScale scale, WorkingCalendar calendar) {
    return new WorldGenerator(scale, calendar);
  }

  /** Generates the whole world for {@code scale} in memory; deterministic in its seed. */
  public static World generate(DemoScale scale, WorkingCalendar calendar) {
    WorldGenerator generator = of(scale, calendar);
    List<World> parts = new ArrayList<>();
    parts.add(generator.common());
    for (long unitId = 1; unitId <= scale.units(); unitId++) {
      parts.add(generator.unit(unitId));
    }
    return World.concat(parts);
  }

  public DemoScale scale() {
    return scale;
  }

  /** What belongs to no unit: the nine common work categories. Load it before any unit. */
  public World common() {
    List<Category> common = new ArrayList<>();
    for (String[] c : COMMON_CATEGORIES) {
      common.add(new Category(c[0], c[1], null));
    }
    return World.concat(List.of()).withCategories(common);
  }

  /** Unit {@code unitId} (1 to the scale's units) with its people, logs, reviews, cases, supervision and tasks. */
  public World unit(long unitId) {
    if (unitId < 1 || unitId > scale.units()) {
      throw new IllegalArgumentException("unit " + unitId + " is outside 1.." + scale.units());
    }
    return new UnitBuilder(unitId).build();
  }

  /**
   * A random stream for one unit and purpose, independent of every other: SplittableRandom's own seeds
   * a multiple of its gamma apart give shifted copies of one sequence, so the inputs are mixed first.
   */
  static SplittableRandom stream(long seed, long unitId, long purpose) {
    return new SplittableRandom(mix64(mix64(seed) ^ mix64(unitId * 0x9E3779B97F4A7C15L + purpose)));
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /** Unit target ratios: normal quantiles (mean 1.00, sd 0.075), shuffled by the seed. */
  private static double[] spreadTargets(int n, SplittableRandom random) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = 1.00 + 0.075 * inverseNormal((i + 0.5) / n);
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      double x = t[i];
      t[i] = t[j];
      t[j] = x;
    }
    return t;
  }

  /** Acklam-style rational approximation of the standard normal quantile (good to 1e-4 here). */
  static double inverseNormal(double p) {
    double q = p < 0.5 ? p : 1 - p;
    double t = Math.sqrt(-2 * Math.log(q));
    double z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
    return p < 0.5 ? -z : z;
  }

  private static BigDecimal scaled(double v) {
    return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
  }

  /** One unit's part of the world. */
  private final class UnitBuilder {
    private final long unitId;
    private final SplittableRandom orgRandom;
    private final SplittableRandom logRandom;
    private final SplittableRandom approvalRandom;
    private final SplittableRandom roundRandom;
    private final SplittableRandom dutyRandom;
    private final SplittableRandom evaluationRandom;
    private SplittableRandom random;

    private Unit unit;
    private final List<Section> sections = new ArrayList<>();
    private final List<Staff> staff = new ArrayList<>();
    private final List<Transfer> transfers = new ArrayList<>();
    private final List<Category> categories = new ArrayList<>();
    private final List<Duty> duties = new ArrayList<>();
    /** The active duties logs may name: of each section, and of the unit as a whole (key null). */
    private final Map<Long, List<Long>> workedDuties = new HashMap<>();
    private final List<WorkLog> logs = new ArrayList<>();
    private final List<Review> reviews = new ArrayList<>();
    private final List<ServiceItem> serviceItems = new ArrayList<>();
    private final List<ServiceCase> serviceCases = new ArrayList<>();
    private final List<SupervisionItem> supervisionItems = new ArrayList<>();
    private final List<TargetTask> targetTasks = new ArrayList<>();
    private final List<TaskMonth> taskMonths = new ArrayList<>();
    private final List<SpecialAssessment> specialAssessments = new ArrayList<>();
    private final List<MutualEvaluation> mutualEvaluations = new ArrayList<>();
    private final List<SatisfactionRating> satisfactionRatings = new ArrayList<>();

    private double unitLoad;
    private long principal;
    private final Map<Long, Long> sectionChief = new HashMap<>();
    private final Map<Long, Long> sectionDeputy = new HashMap<>();
    private long nextLogId;
    private long nextReviewId;

    UnitBuilder(long unitId) {
      this.unitId = unitId;
      this.orgRandom = stream(scale.seed(), unitId, ORGANISATION_STREAM);
      this.logRandom = stream(scale.seed(), unitId, LOG_STREAM);
      this.approvalRandom = stream(scale.seed(), unitId, APPROVAL_STREAM);
      this.roundRandom = stream(scale.seed(), unitId, ROUND_STREAM);
      this.dutyRandom = stream(scale.seed(), unitId, DUTY_STREAM);
      this.evaluationRandom = stream(scale.seed(), unitId, EVALUATION_STREAM);
      this.nextLogId = unitId * EVENT_BLOCK + 1;
      this.nextReviewId = unitId * EVENT_BLOCK + 1;
    }

    World build() {
      random = orgRandom;
      createOrganisation();
      createDuties();
      random = logRandom;
      for (Staff person : staff) {
        createLogs(person);
      }
      within(nextLogId, "work logs");
      within(nextReviewId, "reviews");
      random = approvalRandom;
      createApprovalSystem();
      random = evaluationRandom;
      createEvaluations();
      return new World(List.of(unit), sections, staff, transfers, categories, duties, logs, reviews, serviceItems,
          serviceCases, supervisionItems, targetTasks, taskMonths, specialAssessments, mutualEvaluations,
          satisfactionRatings);
    }

    private void within(long nextId, String what) {
      if (nextId >= (unitId + 1) * EVENT_BLOCK) {
        throw new IllegalStateException("unit " + unitId + " has more " + what + " than its id block of " + EVENT_BLOCK);
      }
    }

    // ---- organisation ------------------------------------------------------------------------

    private void createOrganisation() {
      int u = (int) (unitId - 1);
      boolean city = u < cityUnits;
      String name;
      String type;
      String level;
      if (city) {
        String[] def = CITY_UNITS[u % CITY_UNITS.length];
        name = def[0] + (u >= CITY_UNITS.length ? "（" + (u / CITY_UNITS.length + 1) + "）" : "");
        type = def[1];
        level = "CITY";
        unitLoad = cityTargets[u];
      } else {
        int k = u - cityUnits;
        level = k % 2 == 0 ? "COUNTY" : "TOWNSHIP";
        name = level.equals("COUNTY") ? "第" + (k + 1) + "县政府办公室" : "第" + (k + 1) + "镇人民政府";
        type = "GOVERNMENT";
        unitLoad = 0.97 + random.nextDouble() * 0.08;
      }
      String peerGroup = level.equals("CITY") ? "CITY_" + type : level;
      int sectionCount = 2 + random.nextInt(3);
      List<Long> unitSections = new ArrayList<>();
      int headcount = 0;
      long staffId = unitId * ORG_BLOCK + 1;
      for (int s = 0; s < sectionCount; s++) {
        unitSections.add(unitId * ORG_BLOCK + s + 1);
      }
      // leaders: one principal, one deputy per two sections
      principal = staffId++;
      staff.add(person(principal, null, "PRINCIPAL_LEADER", "主持全面工作", null));
      List<Long> deputies = new ArrayList<>();
      for (int d = 0; d < (sectionCount + 1) / 2; d++) {
        long deputy = staffId++;
        staff.add(person(deputy, null, "DEPUTY_LEADER", "分管业务工作", null));
        deputies.add(deputy);
      }
      headcount += 1 + deputies.size();
      for (int s = 0; s < sectionCount; s++) {
        long sid = unitSections.get(s);
        long deputy = deputies.get(s / 2);
        sectionDeputy.put(sid, deputy);
        int members = 2 + random.nextInt(5);
        long chief = staffId++;
        staff.add(person(chief, sid, "SECTION_CHIEF", "负责科室工作", null));
        sectionChief.put(sid, chief);
        for (int m = 0; m < members; m++) {
          LocalDate from = null;
          if (random.nextDouble() < 0.05) {
            from = LocalDate.of(scale.year(), 3 + random.nextInt(8), 1 + random.nextInt(28));
          }
          staff.add(person(staffId++, sid, "STAFF", "承办科室业务", from));
        }
        int sectionAuthorized = members + 1 + (random.nextDouble() < 0.3 ? 1 : 0) - (random.nextDouble() < 0.2 ? 1 : 0);
        sections.add(new Section(sid, unitId, SECTION_NAMES[s % SECTION_NAMES.length], Math.max(1, sectionAuthorized), deputy));
        headcount += members + 1;
      }
      int authorized = headcount + random.nextInt(5) - 2;
      unit = new Unit(unitId, name, level, type, null, Math.max(1, authorized), peerGroup);
      categories.add(new Category("UNIT" + unitId + "_OWN", name + "个性工作", unitId));
      // a few departures and section transfers during the year
      for (int i = 0; i < staff.size(); i++) {
        Staff p = staff.get(i);
        if (!p.role().equals("STAFF")) {
          continue;
        }
        double r = random.nextDouble();
        if (r < 0.03) {
          LocalDate to = LocalDate.of(scale.year(), 4 + random.nextInt(8), 1 + random.nextInt(28));
          staff.set(i, new Staff(p.id(), p.unitId(), p.sectionId(), p.displayName(), p.nationalId(), p.role(),
              p.postDuties(), p.activeFrom(), to.isBefore(p.activeFrom()) ? p.activeFrom() : to));
        } else if (r < 0.07) {
          List<Long> others = sections.stream().filter(s -> s.id() != p.sectionId()).map(Section::id).toList();
          if (!others.isEmpty()) {
            LocalDate effective = LocalDate.of(scale.year(), 2 + random.nextInt(10), 1 + random.nextInt(28));
            if (effective.isAfter(p.activeFrom())) {
              transfers.add(new Transfer(p.id(), others.get(random.nextInt(others.size())), effective));
            }
          }
        }
      }
    }

    /**
     * The unit's duty register: its own duties, each section's, the one no log serves, and the overlapping ones of
     * some units; every fifth unit also keeps a duty it no longer has (inactive). Names carry the unit's name but for
     * the contested duty, so that only the deliberate overlaps overlap.
     */
    private void createDuties() {
      long dutyId = unitId * ORG_BLOCK + 1;
      List<Long> unitWide = new ArrayList<>();
      for (String name : UNIT_DUTIES) {
        duties.add(new Duty(dutyId, unitId, null, unit.name() + name, "MANDATE", null, true));
        unitWide.add(dutyId++);
      }
      if (unitId % 4 == 1) {
        duties.add(new Duty(dutyId, unitId, null, CONTESTED_DUTY[(int) (unitId / 4) % 2], "MANDATE", null, true));
        unitWide.add(dutyId++);
      }
      if (unitId % 4 == 3) {
        duties.add(new Duty(dutyId, unitId, null, unit.name() + "联合执法协调", "ASSIGNED", SHARED_DUTY_CODE, true));
        unitWide.add(dutyId++);
      }
      workedDuties.put(null, unitWide);
      duties.add(new Duty(dutyId++, unitId, null, unit.name() + DORMANT_DUTY, "MANDATE", null, true));
      if (unitId % 5 == 0) {
        duties.add(new Duty(dutyId++, unitId, null, unit.name() + "原承担职能（已划出）", "MANDATE", null, false));
      }
      for (int s = 0; s < sections.size(); s++) {
        String[] names = SECTION_DUTIES[s % SECTION_DUTIES.length];
        List<Long> own = new ArrayList<>();
        for (int d = 0; d < (s % 2 == 0 ? 2 : 3); d++) {
          duties.add(new Duty(dutyId, unitId, sections.get(s).id(), unit.name() + names[d], "MANDATE", null, true));
          own.add(dutyId++);
        }
        workedDuties.put(sections.get(s).id(), own);
      }
    }

    /** The duty a log of {@code p} serves, or null: mostly one of their starting section's, else one of the unit's. */
    private Long dutyOf(Staff p, String category) {
      if (category.equals("LEAVE") || dutyRandom.nextDouble() >= LOGS_WITH_DUTY) {
        return null;
      }
      List<Long> choices = p.sectionId() != null && dutyRandom.nextDouble() < 0.8 ? workedDuties.get(p.sectionId())
          : workedDuties.get(null);
      return choices.get(dutyRandom.nextInt(choices.size()));
    }

    /** A person; the national ID's region digits are the unit's, its sequence the person's within it, so it is unique. */
    private Staff person(long id, Long sectionId, String role, String duties, LocalDate joined) {
      String name = SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)]
          + (random.nextBoolean() ? GIVEN[random.nextInt(GIVEN.length)] : "");
      LocalDate birth = LocalDate.of(1965 + random.nextInt(35), 1 + random.nextInt(12), 1 + random.nextInt(28));
      String nationalId = String.format("37%04d%04d%02d%02d%03d%s", unitId % 10_000, birth.getYear(), birth.getMonthValue(),
          birth.getDayOfMonth(), id % ORG_BLOCK, random.nextInt(10));
      LocalDate from = joined != null ? joined : LocalDate.of(2010 + random.nextInt(14), 1 + random.nextInt(12), 1);
      return new Staff(id, unitId, sectionId, name, nationalId, role, duties, from, null);
    }

    // ---- work logs and reviews ---------------------------------------------------------------

    private void createLogs(Staff p) {
      double load = unitLoad * (1 + 0.05 * gaussian()) * LOSS_COMPENSATION;
      double sloppiness = 0.5 + random.nextDouble(); // scales missing days and late filing
      LocalDate first = LocalDate.of(scale.year(), 1, 1);
      LocalDate last = LocalDate.of(scale.year(), 12, 31);
      if (p.activeFrom().isAfter(first)) {
        first = p.activeFrom();
      }
      if (p.activeTo() != null && p.activeTo().isBefore(last)) {
        last = p.activeTo();
      }
      int leaveLeft = 0;
      for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
        if (!calendar.isWorkingDay(day)) {
          if (random.nextDouble() < 0.025) {
            addLog(p, day, random.nextBoolean() ? "BUSINESS" : "SPECIAL_TASK", 120 + 30 * random.nextInt(7), sloppiness);
          }
          continue;
        }
        if (leaveLeft == 0 && random.nextDouble() < 0.012) {
          leaveLeft = 1 + random.nextInt(3);
        }
        if (leaveLeft > 0) {
          leaveLeft--;
          addLog(p, day, "LEAVE", FULL_DAY_MINUTES, sloppiness);
          continue;
        }
        if (random.nextDouble() < 0.025 * sloppiness) {
          continue; // a missing day: nothing filed
        }
        int target = (int) Math.round(FULL_DAY_MINUTES * load * (1 + 0.10 * gaussian()));
        if (random.nextDouble() < 0.01) {
          addLog(p, day, "LEAVE", FULL_DAY_MINUTES / 2, sloppiness);
          target /= 2;
        }
        target = Math.max(60, Math.min(720, target));
        int pieces = 1 + random.nextInt(3);
        int remaining = target;
        for (int k = 0; k < pieces && remaining > 0; k++) {
          int minutes = k == pieces - 1 ? remaining : Math.max(30, remaining / (pieces - k) + 30 * (random.nextInt(3) - 1));
          minutes = Math.min(minutes, remaining);
          addLog(p, day, drawCategory(p.unitId()), minutes, sloppiness);
          remaining -= minutes;
        }
      }
    }

    private String drawCategory(long unitId) {
      double r = random.nextDouble();
      double acc = 0;
      for (int i = 0; i < WORK_CATEGORIES.length; i++) {
        acc += WORK_CATEGORY_WEIGHTS[i];
        if (r < acc) {
          return WORK_CATEGORIES[i].equals("UNIT_OWN") ? "UNIT" + unitId + "_OWN" : WORK_CATEGORIES[i];
        }
      }
      return "BUSINESS";
    }

    private void addLog(Staff p, LocalDate day, String category, int minutes, double sloppiness) {
      LocalDateTime created = day.atTime(16, 30).plusMinutes(random.nextInt(120));
      LocalDateTime submitted;
      double r = random.nextDouble();
      double late = 0.03 * sloppiness;
      double draft = 0.025 * sloppiness;
      if (r < draft) {
        submitted = null; // stays a draft
      } else if (r < draft + late) {
        submitted = calendar.plusWorkingDays(day, 2 + random.nextInt(3)).atTime(9 + random.nextInt(9), random.nextInt(60));
      } else if (r < draft + late + 0.18) {
        submitted = calendar.plusWorkingDays(day, 1).atTime(8 + random.nextInt(14), random.nextInt(60));
      } else {
        submitted = created.plusMinutes(5 + random.nextInt(90));
      }
      if (submitted != null && submitted.isBefore(created)) {
        submitted = created.plusMinutes(5);
      }
      long logId = nextLogId++;
      LocalDateTime returned = null;
      LocalDateTime resubmitted = null;
      LocalDateTime returnedAgain = null;
      LocalDateTime approved = null;
      if (submitted != null) {
        LocalDateTime[] outcome = reviewChain(logId, p, submitted, 1);
        returned = outcome[0];
        approved = outcome[1];
        if (returned != null) {
          SplittableRandom logs = random;
          random = roundRandom;
          if (random.nextDouble() < RESUBMITTED_SHARE) {
            // corrected the same or within two working days, during office hours, after the return
            int days = random.nextInt(3);
            LocalDate back = days == 0 ? returned.toLocalDate() : calendar.plusWorkingDays(returned.toLocalDate(), days);
            resubmitted = back.atTime(9 + random.nextInt(9), random.nextInt(60));
            if (!resubmitted.isAfter(returned)) {
              resubmitted = returned.plusMinutes(20 + random.nextInt(100));
            }
            LocalDateTime[] second = reviewChain(logId, p, resubmitted, 2);
            returnedAgain = second[0];
            approved = second[1];
          }
          random = logs;
        }
      }
      String content = category.equals("LEAVE") ? "请假" : "完成" + day.getMonthValue() + "月" + day.getDayOfMonth() + "日工作事项";
      // the log stream draws as it did for the free-text duty reference the register replaced: the logs stay as they were
      if (random.nextDouble() < 0.3) {
        random.nextInt(12);
      }
      logs.add(new WorkLog(logId, p.id(), day, category, minutes, dutyOf(p, category), content, random.nextInt(3), created,
          submitted, returned, resubmitted, returnedAgain, approved));
    }

    /** Reviewers of a log by the author's role, level by level (DOMAIN.md review chain). */
    private long[] reviewersOf(Staff p) {
      return switch (p.role()) {
        case "STAFF" -> new long[] {sectionChief.get(p.sectionId()), sectionDeputy.get(p.sectionId())};
        case "SECTION_CHIEF" -> new long[] {sectionDeputy.get(p.sectionId())};
        case "DEPUTY_LEADER" -> new long[] {principal};
        default -> new long[0];
      };
    }

    /** Creates the reviews of one round of a log; returns {returnedAt, approvedAt} (either may be null). */
    private LocalDateTime[] reviewChain(long logId, Staff author, LocalDateTime submitted, int round) {
      long[] reviewers = reviewersOf(author);
      LocalDateTime previous = submitted;
      for (int level = 1; level <= reviewers.length; level++) {
        if (random.nextDouble() < 0.02) {
          return new LocalDateTime[] {null, null}; // this level never reviews
        }
        int delay = drawReviewDelay();
        LocalDate day = delay == 0 ? previous.toLocalDate() : calendar.plusWorkingDays(previous.toLocalDate(), delay);
        LocalDateTime at = LocalDateTime.of(day, LocalTime.of(9 + random.nextInt(9), random.nextInt(60)));
        if (!at.isAfter(previous)) {
          at = previous.plusMinutes(10 + random.nextInt(50));
        }
        double r = random.nextDouble();
        // 6 % returned, of which RESUBMITTED_SHARE come back: about the 2.5 % of logs per level that never count as before
        String decision = r < 0.06 ? "RETURNED" : r < 0.11 ? "COMMENTED" : "APPROVED";
        String comment = switch (decision) {
          case "RETURNED" -> "内容不够具体，请补充";
          case "COMMENTED" -> "已阅，注意进度";
          default -> null;
        };
        reviews.add(new Review(nextReviewId++, logId, reviewers[level - 1], level, round, decision, comment, at));
        if (decision.equals("RETURNED")) {
          return new LocalDateTime[] {at, null};
        }
        previous = at;
      }
      return new LocalDateTime[] {null, reviewers.length == 0 ? null : previous};
    }

    private int drawReviewDelay() {
      double r = random.nextDouble();
      if (r < 0.45) {
        return 0;
      }
      if (r < 0.75) {
        return 1;
      }
      if (r < 0.87) {
        return 2;
      }
      if (r < 0.93) {
        return 3;
      }
      return 4 + random.nextInt(4);
    }

    private double gaussian() {
      // Box-Muller on the seeded generator (SplittableRandom has no nextGaussian on Java 17)
      double u1 = Math.max(1e-12, random.nextDouble());
      double u2 = random.nextDouble();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    // ---- approval, supervision and target tasks ----------------------------------------------

    private void createApprovalSystem() {
      long itemId = unitId * ORG_BLOCK + 1;
      long caseId = unitId * EVENT_BLOCK + 1;
      long supervisionId = unitId * ORG_BLOCK + 1;
      long taskId = unitId * ORG_BLOCK + 1;
      int items = unit.type().equals("PARTY") ? 0 : random.nextInt(5);
      for (int i = 0; i < items; i++) {
        int legal = 10 + 5 * random.nextInt(4);
        int promised = Math.max(1, legal / 2 - random.nextInt(3));
        ServiceItem item = new ServiceItem(itemId++, unit.id(), unit.name() + "审批事项" + (i + 1), legal, promised);
        serviceItems.add(item);
        double monthlyCases = random.nextDouble() < 0.2 ? 0 : 1 + random.nextInt(12); // some items never used (零办理)
        for (int month = 1; month <= 12; month++) {
          int n = (int) Math.round(monthlyCases * (0.5 + random.nextDouble()));
          for (int c = 0; c < n; c++) {
            LocalDate acceptedDay = LocalDate.of(scale.year(), month, 1 + random.nextInt(28));
            if (!calendar.isWorkingDay(acceptedDay)) {
              continue;
            }
            LocalDateTime accepted = acceptedDay.atTime(9 + random.nextInt(8), random.nextInt(60));
            LocalDateTime started = accepted.plusHours(1 + random.nextInt(20));
            double r = random.nextDouble();
            int days = r < 0.8 ? 1 + random.nextInt(promised) : promised + 1 + random.nextInt(legal);
            LocalDateTime closed = calendar.plusWorkingDays(acceptedDay, days).atTime(10 + random.nextInt(7), random.nextInt(60));
            String status = random.nextDouble() < 0.05 ? "REJECTED" : random.nextDouble() < 0.02 ? "TRANSFERRED" : "COMPLETED";
            if (random.nextDouble() < 0.03) {
              closed = null; // still open
            }
            Staff handler = staff.get(random.nextInt(staff.size()));
            serviceCases.add(new ServiceCase(caseId++, item.id(), accepted, started, closed, status, handler.id()));
          }
        }
      }
      boolean golmudDrawn = false;
      for (int q = 0; q < 4; q++) {
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
          LocalDate assignedDay = LocalDate.of(scale.year(), 3 * q + 1 + random.nextInt(3), 1 + random.nextInt(28));
          LocalDateTime assigned = assignedDay.atTime(10, 0);
          LocalDate deadline = calendar.plusWorkingDays(assignedDay, 10 + random.nextInt(30));
          double r = random.nextDouble();
          LocalDateTime completed;
          String penalty = "NONE";
          LocalDateTime penaltyAt = null;
          if (r < 0.8) {
            completed = deadline.minusDays(random.nextInt(10)).atTime(16, 0);
            if (completed.isBefore(assigned)) {
              completed = assigned.plusDays(1);
            }
          } else if (r < 0.95) {
            completed = deadline.plusDays(1 + random.nextInt(15)).atTime(16, 0);
            penalty = random.nextBoolean() ? "REMINDER" : "TALK";
            penaltyAt = deadline.plusDays(1).atTime(9, 0);
          } else {
            completed = null;
            penalty = "NOTICE";
            penaltyAt = deadline.plusDays(5).atTime(9, 0);
          }
          Staff responsible = staff.get(random.nextInt(staff.size()));
          String golmud = golmudDrawn ? null : GOLMUD_PENALTIES.get(unit.name());
          if (golmud != null && (deadline.getMonthValue() - 1) / 3 == GOLMUD_QUARTER) {
            // only the penalty and the completion change, after every draw: the rest of the world is generated as without it
            penalty = golmud;
            completed = deadline.atTime(16, 0);
            penaltyAt = deadline.plusDays(10).atTime(9, 0);
            golmudDrawn = true;
          }
          // one item in five names no one but its unit: chosen by id, so no other draw moves (Golmud's items are named)
          Long responsibleId = supervisionId % UNNAMED_SUPERVISION_EVERY == 2 ? null : responsible.id();
          supervisionItems.add(new SupervisionItem(supervisionId++, unit.id(), responsibleId,
              "督办事项" + (q + 1) + "-" + (i + 1), assigned, deadline, completed, penalty, penaltyAt));
        }
      }
      List<Staff> deputies = staff.stream().filter(s -> s.role().equals("DEPUTY_LEADER")).toList();
      int tasks = 2 + random.nextInt(4);
      for (int i = 0; i < tasks; i++) {
        int startMonth = 1 + random.nextInt(4);
        int endMonth = Math.min(12, startMonth + 5 + random.nextInt(7));
        BigDecimal points = BigDecimal.valueOf(5 + 5 * random.nextInt(4));
        long leader = deputies.get(i % deputies.size()).id(); // Fuping: each task's result is its deputy leader's (分管领导)
        TargetTask task = new TargetTask(taskId++, unit.id(), "目标任务" + (i + 1), i == 0 ? "COMMON" : "INDIVIDUAL",
            points, leader, LocalDate.of(scale.year(), startMonth, 1),
            LocalDate.of(scale.year(), endMonth, 1).plusMonths(1).minusDays(1));
        targetTasks.add(task);
        double pace = 0.7 + random.nextDouble() * 0.5; // <1 behind plan, >1 ahead
        boolean neverStarts = random.nextDouble() < 0.08;
        for (int month = startMonth; month <= 12; month++) {
          double planned = Math.min(100, 100.0 * (month - startMonth + 1) / (endMonth - startMonth + 1));
          double reported = neverStarts ? 0 : Math.min(100, planned * pace + 3 * gaussian());
          reported = Math.max(0, reported);
          LocalDate monthStart = LocalDate.of(scale.year(), month, 1);
          LocalDateTime reportedAt = monthStart.plusMonths(1).minusDays(3).atTime(15, 0);
          LocalDateTime verifiedAt = random.nextDouble() < 0.85 ? reportedAt.plusDays(5) : null;
          taskMonths.add(new TaskMonth(task.id(), monthStart, scaled(planned), scaled(reported),
              random.nextInt(5), reportedAt, verifiedAt));
        }
      }
      within(caseId, "service cases");
    }

    // ---- special assessments, mutual evaluation, public satisfaction ------------------------------

    /**
     * The unit's special assessments (one a quarter, scored in step with how well the unit works), its leadership
     * team's scores of the next {@link #MUTUAL_RATED_UNITS} units in December, and its citizens' ratings of completed
     * cases; plus, in a few units chosen by id, the bad rows the warehouse sets aside: a score above 100, a unit
     * rating itself, a second rating of one unit or case, a rating 6, a unit not in the register.
     */
    private void createEvaluations() {
      long id = unitId * ORG_BLOCK + 1;
      long unknownUnit = scale.units() + 1L;
      for (int q = 0; q < 4; q++) {
        LocalDate on = calendar.plusWorkingDays(LocalDate.of(scale.year(), 3 * q + 3, 1), 5 + random.nextInt(3));
        double score = Math.max(60, Math.min(100, 90 + 40 * (unitLoad - 1) + 3 * gaussian()));
        String name = SPECIAL_ASSESSMENTS[(int) ((unitId + q) % SPECIAL_ASSESSMENTS.length)];
        specialAssessments.add(new SpecialAssessment(id++, unitId, name, on, scaled(score), on.atTime(16, 0)));
      }
      if (unitId == 5) {
        specialAssessments.add(new SpecialAssessment(id++, unitId, "安全生产", LocalDate.of(scale.year(), 9, 10),
            scaled(105), LocalDateTime.of(scale.year(), 9, 10, 16, 0)));
      }
      if (unitId == 6) {
        specialAssessments.add(new SpecialAssessment(id++, unknownUnit, "信访维稳", LocalDate.of(scale.year(), 9, 10),
            scaled(88), LocalDateTime.of(scale.year(), 9, 10, 16, 0)));
      }
      int rated = Math.min(MUTUAL_RATED_UNITS, scale.units() - 1);
      for (int k = 1; k <= rated; k++) {
        long other = (unitId - 1 + k) % scale.units() + 1;
        LocalDateTime at = LocalDateTime.of(scale.year(), 12, 1 + random.nextInt(10), 9 + random.nextInt(8), random.nextInt(60));
        mutualEvaluations.add(new MutualEvaluation(id++, unitId, other, scale.year(),
            scaled(Math.max(60, Math.min(100, 90 + 3 * gaussian()))), at));
      }
      LocalDateTime lateDecember = LocalDateTime.of(scale.year(), 12, 11, 10, 0);
      if (unitId == 1) {
        mutualEvaluations.add(new MutualEvaluation(id++, unitId, unitId, scale.year(), scaled(99), lateDecember));
      }
      if (unitId == 2 && !mutualEvaluations.isEmpty()) {
        MutualEvaluation first = mutualEvaluations.get(0);
        mutualEvaluations.add(new MutualEvaluation(id++, unitId, first.ratedUnitId(), scale.year(), scaled(70), lateDecember));
      }
      long notRated = (unitId + rated) % scale.units() + 1;
      if (unitId == 3 && notRated != unitId) {
        mutualEvaluations.add(new MutualEvaluation(id++, unitId, notRated, scale.year(), scaled(120), lateDecember));
      }
      if (unitId == 4) {
        mutualEvaluations.add(new MutualEvaluation(id++, unitId, unknownUnit, scale.year(), scaled(85), lateDecember));
      }
      createRatings(unitId * EVENT_BLOCK + 1, unknownUnit);
    }

    /** Citizens' ratings of the unit's completed cases, at the window on completion, or later by QR code or SMS. */
    private void createRatings(long firstId, long unknownUnit) {
      long id = firstId;
      for (ServiceCase c : serviceCases) {
        if (c.closedAt() == null || !c.closedStatus().equals("COMPLETED") || random.nextDouble() >= RATED_CASE_SHARE) {
          continue;
        }
        String channel = RATING_CHANNELS[random.nextInt(RATING_CHANNELS.length)];
        LocalDateTime at = switch (channel) {
          case "WINDOW" -> c.closedAt().plusMinutes(5);
          case "QR" -> c.closedAt().plusHours(1 + random.nextInt(48));
          default -> c.closedAt().toLocalDate().plusDays(1 + random.nextInt(3)).atTime(9 + random.nextInt(10), random.nextInt(60));
        };
        double r = random.nextDouble();
        int rating = r < 0.78 ? 5 : r < 0.93 ? 4 : r < 0.97 ? 3 : r < 0.99 ? 2 : 1;
        // a rating at the window now and then carries no case number
        Long caseId = channel.equals("WINDOW") && random.nextDouble() < 0.2 ? null : c.id();
        satisfactionRatings.add(new SatisfactionRating(id++, unitId, caseId, channel, rating, at));
      }
      SatisfactionRating first = satisfactionRatings.stream().filter(s -> s.caseId() != null).findFirst().orElse(null);
      if (first != null && unitId % 8 == 5) {
        satisfactionRatings.add(new SatisfactionRating(id++, unitId, null, "QR", 6, first.ratedAt().plusMinutes(30)));
      }
      if (first != null && unitId % 8 == 6) {
        satisfactionRatings.add(new SatisfactionRating(id++, unitId, first.caseId(), "SMS", 1, first.ratedAt().plusDays(1)));
      }
      if (first != null && unitId % 8 == 7) {
        satisfactionRatings.add(new SatisfactionRating(id++, unknownUnit, null, "QR", 5, first.ratedAt().plusMinutes(30)));
      }
      if (id >= (unitId + 1) * EVENT_BLOCK) {
        throw new IllegalStateException("unit " + unitId + " has more satisfaction ratings than its id block of " + EVENT_BLOCK);
      }
    }
  }
}
