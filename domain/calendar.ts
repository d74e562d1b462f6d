/**
 * Working-time calendar for England & Wales (Europe/London).
 *
 * Pure: no I/O and no reading of the system clock. Every instant is passed in
 * by the caller. Bank holidays come from `date-holidays` (GB/ENG, public only)
 * and are memoised per year.
 *
 * Conventions
 * - A "London date" is "YYYY-MM-DD" and a "London time" is "HH:mm", both as
 *   shown on a wall clock in Europe/London.
 * - London wall clock → instant: in the spring-forward gap (01:00–02:00 does
 *   not exist) we move forward to the first valid instant (02:00 BST); in the
 *   autumn overlap (01:00–02:00 happens twice) we take the first, BST, one.
 *
 * Day-zero rule for working days
 *   "Within N working days" of an event means by `dayEnd` on the Nth working
 *   day after the London date of the event. The event's own date is day 0
 *   whether or not it is a working day (an event on Saturday: Monday is working
 *   day 1). N = 0 means by `dayEnd` of the event's date if that is a working
 *   day, else `dayEnd` of the next working day — even if the event happened
 *   after `dayEnd` (the result is then earlier than the event; callers wanting
 *   "same day" deadlines should use N >= 1). Subtracting N working days gives
 *   `dayEnd` of the Nth working day before the event's date.
 */
import Holidays from "date-holidays";

export type DurationUnit =
  | "calendar-hours" // elapsed real time: 24 calendar-hours is 24 real hours even across a clock change
  | "calendar-days" // same London wall-clock time N days later (DST-aware)
  | "weeks" // 7*N calendar days
  | "months" // calendar months on the London date (31 Jan + 1 month = 28/29 Feb), same wall-clock time
  | "working-days" // day-zero rule above; the deadline is dayEnd
  | "working-hours" // only time inside working hours on working days counts
  | "working-day-hours"; // "72 hours (working days only)": all 24 h of working days count, other days are skipped

export interface Duration {
  /** Non-negative integer. */
  amount: number;
  unit: DurationUnit;
}

export interface CalendarOptions {
  /** "HH:mm", default "09:00". */
  dayStart?: string;
  /** "HH:mm", default "17:00"; must be after dayStart. */
  dayEnd?: string;
}

export const DURATION_UNITS: readonly DurationUnit[] = [
  "calendar-hours",
  "calendar-days",
  "weeks",
  "months",
  "working-days",
  "working-hours",
  "working-day-hours",
];

const MS_MINUTE = 60_000;
const MS_HOUR = 3_600_000;
const MS_DAY = 86_400_000;

// ---------------------------------------------------------------------------
// Validation: every public entry point checks its arguments and throws an
// Error naming the argument and what was expected.

function show(v: unknown): string {
  if (v instanceof Date) return isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "object" && v !== null) {
    try {
      return JSON.stringify(v);
    } catch {
      return Object.prototype.toString.call(v);
    }
  }
  return String(v);
}

function fail(where: string, arg: string, expected: string, got: unknown): never {
  throw new Error(`${where}: ${arg} must be ${expected}, got ${show(got)}`);
}

function checkInstant(where: string, arg: string, v: unknown): number {
  if (!(v instanceof Date) || isNaN(v.getTime())) fail(where, arg, "a valid Date", v);
  return v.getTime();
}

function checkDate(where: string, arg: string, v: unknown): string {
  const m = typeof v === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) return v as string;
  }
  return fail(where, arg, 'a London date "YYYY-MM-DD"', v);
}

/** Returns minutes after midnight. */
function checkTime(where: string, arg: string, v: unknown): number {
  const m = typeof v === "string" ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(v) : null;
  if (!m) return fail(where, arg, 'a London time "HH:mm" (00:00–23:59)', v);
  return Number(m[1]) * 60 + Number(m[2]);
}

function checkCount(where: string, arg: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    fail(where, arg, "a non-negative integer", v);
  }
  return v;
}

function checkDuration(where: string, v: unknown): Duration {
  if (typeof v !== "object" || v === null) fail(where, "duration", "an object { amount, unit }", v);
  const { amount, unit } = v as Partial<Duration>;
  checkCount(where, "duration.amount", amount);
  if (!DURATION_UNITS.includes(unit as DurationUnit)) {
    fail(where, "duration.unit", `one of ${DURATION_UNITS.join(", ")}`, unit);
  }
  return { amount: amount as number, unit: unit as DurationUnit };
}

// ---------------------------------------------------------------------------
// Date-only arithmetic on "YYYY-MM-DD" (proleptic Gregorian, via UTC so the
// host time zone never matters). A "day number" counts days since 1970-01-01.

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

function utcMidnight(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d); // unlike Date.UTC, years 0–99 are not mapped to 19xx
  return t.getTime();
}

function daysInMonth(y: number, m: number): number {
  return new Date(utcMidnight(y, m + 1, 0)).getUTCDate();
}

function ymd(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function dayNumber(date: string): number {
  return utcMidnight(...ymd(date)) / MS_DAY;
}

function dateOfDayNumber(n: number): string {
  const t = new Date(n * MS_DAY);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

function addDays(date: string, n: number): string {
  return dateOfDayNumber(dayNumber(date) + n);
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(date: string): number {
  return new Date(dayNumber(date) * MS_DAY).getUTCDay();
}

/** Calendar months, clamping the day like date-fns `addMonths` (31 Jan + 1 → 28/29 Feb). */
function addMonthsToDate(date: string, n: number): string {
  const [y, m, d] = ymd(date);
  const index = y * 12 + (m - 1) + n;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  return `${pad(ny, 4)}-${pad(nm)}-${pad(Math.min(d, daysInMonth(ny, nm)))}`;
}

// ---------------------------------------------------------------------------
// Europe/London wall clock, derived with Intl (no time-zone library).

const londonFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

interface Wall {
  date: string; // "YYYY-MM-DD"
  msOfDay: number; // milliseconds after London midnight (wall clock)
}

function londonWall(t: number): Wall {
  const p: Record<string, number> = {};
  for (const { type, value } of londonFormat.formatToParts(t)) p[type] = Number(value);
  const ms = ((t % 1000) + 1000) % 1000;
  return {
    date: `${pad(p.year ?? 0, 4)}-${pad(p.month ?? 0)}-${pad(p.day ?? 0)}`,
    msOfDay: (((p.hour ?? 0) * 60 + (p.minute ?? 0)) * 60 + (p.second ?? 0)) * 1000 + ms,
  };
}

/** London's UTC offset (ms, e.g. 3_600_000 in BST) at instant t. */
function offsetAt(t: number): number {
  const w = londonWall(t);
  return dayNumber(w.date) * MS_DAY + w.msOfDay - t;
}

/** London wall clock → instant (ms). Gap: first valid instant after it. Overlap: first occurrence. */
function wallToInstant(date: string, msOfDay: number): number {
  const wall = dayNumber(date) * MS_DAY + msOfDay;
  // The offsets in force a day either side cover any single transition near `wall`.
  const candidates = [offsetAt(wall - MS_DAY), offsetAt(wall + MS_DAY)].map((o) => wall - o);
  const valid = candidates.filter((t) => offsetAt(t) === wall - t);
  if (valid.length > 0) return Math.min(...valid); // overlap → earliest (BST) reading
  // Spring-forward gap: binary-search the transition instant between the two readings.
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  const after = offsetAt(hi);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

// ---------------------------------------------------------------------------
// England & Wales bank holidays, memoised per year.

let holidayEngine: Holidays | undefined;
const holidaysByYear = new Map<number, ReadonlyMap<string, string>>();

function holidaysIn(year: number): ReadonlyMap<string, string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    // "GB" alone omits the England-only summer bank holiday, hence "ENG".
    holidayEngine ??= new Holidays("GB", "ENG");
    const map = new Map<string, string>();
    for (const h of holidayEngine.getHolidays(year, "en")) {
      // Keep public holidays only (not observances such as Mother's Day). Use
      // the local `date` string, not `start` (a UTC instant shifted by BST).
      const day = h.date.slice(0, 10);
      if (h.type === "public" && !map.has(day)) map.set(day, h.name);
    }
    holidaysByYear.set(year, map);
    days = map;
  }
  return days;
}

// ---------------------------------------------------------------------------

export class WorkingCalendar {
  readonly dayStart: string;
  readonly dayEnd: string;
  /** dayStart / dayEnd as milliseconds after London midnight. */
  private readonly startMs: number;
  private readonly endMs: number;

  constructor(options: CalendarOptions = {}) {
    const where = "WorkingCalendar";
    this.dayStart = options.dayStart ?? "09:00";
    this.dayEnd = options.dayEnd ?? "17:00";
    this.startMs = checkTime(where, "dayStart", this.dayStart) * MS_MINUTE;
    this.endMs = checkTime(where, "dayEnd", this.dayEnd) * MS_MINUTE;
    if (this.startMs >= this.endMs) {
      throw new Error(`${where}: dayStart (${this.dayStart}) must be before dayEnd (${this.dayEnd})`);
    }
  }

  londonDate(instant: Date): string {
    return londonWall(checkInstant("londonDate", "instant", instant)).date;
  }

  londonTime(instant: Date): string {
    const { msOfDay } = londonWall(checkInstant("londonTime", "instant", instant));
    const minutes = Math.floor(msOfDay / MS_MINUTE);
    return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  }

  atLondon(date: string, time: string): Date {
    checkDate("atLondon", "date", date);
    const minutes = checkTime("atLondon", "time", time);
    return new Date(wallToInstant(date, minutes * MS_MINUTE));
  }

  bankHoliday(date: string): string | undefined {
    checkDate("bankHoliday", "date", date);
    return holidaysIn(ymd(date)[0]).get(date);
  }

  isWorkingDay(date: string): boolean {
    return this.working(checkDate("isWorkingDay", "date", date));
  }

  isWorkingTime(instant: Date): boolean {
    const t = checkInstant("isWorkingTime", "instant", instant);
    const { date } = londonWall(t);
    return this.working(date) && this.startOf(date) <= t && t < this.endOf(date);
  }

  nextWorkingStart(instant: Date): Date {
    return new Date(this.nextStart(checkInstant("nextWorkingStart", "instant", instant)));
  }

  /** The nth working day after `date` (day-zero rule; n = 0: `date` if working, else the next working day). */
  addWorkingDays(date: string, n: number): string {
    return this.stepWorkingDays(
      checkDate("addWorkingDays", "date", date),
      checkCount("addWorkingDays", "n", n),
      1,
    );
  }

  /** The nth working day before `date` (n = 0: `date` if working, else the previous working day). */
  subtractWorkingDays(date: string, n: number): string {
    return this.stepWorkingDays(
      checkDate("subtractWorkingDays", "date", date),
      checkCount("subtractWorkingDays", "n", n),
      -1,
    );
  }

  /** The deadline `d` after `from`. */
  add(from: Date, d: Duration): Date {
    const t = checkInstant("add", "from", from);
    const { amount, unit } = checkDuration("add", d);
    return new Date(this.shift(t, amount, unit, 1));
  }

  /** The latest moment that is `d` before `from`. */
  subtract(from: Date, d: Duration): Date {
    const t = checkInstant("subtract", "from", from);
    const { amount, unit } = checkDuration("subtract", d);
    return new Date(this.shift(t, amount, unit, -1));
  }

  /**
   * Working time elapsed from `from` to `to` (to >= from).
   * - workingDays: working days after the London date of `from` up to and
   *   including the London date of `to` (same day-zero rule as "working-days",
   *   so `to = add(from, N working-days)` gives N).
   * - workingMinutes: whole minutes of [from, to] inside working hours on working days.
   */
  workingTimeBetween(from: Date, to: Date): { workingDays: number; workingMinutes: number } {
    const a = checkInstant("workingTimeBetween", "from", from);
    const b = checkInstant("workingTimeBetween", "to", to);
    if (b < a) fail("workingTimeBetween", "to", `at or after from (${show(from)})`, to);
    const first = londonWall(a).date;
    const last = londonWall(b).date;
    let workingDays = 0;
    let ms = 0;
    for (let d = first; d <= last; d = addDays(d, 1)) {
      if (!this.working(d)) continue;
      if (d !== first) workingDays++;
      const overlap = Math.min(b, this.endOf(d)) - Math.max(a, this.startOf(d));
      if (overlap > 0) ms += overlap;
    }
    return { workingDays, workingMinutes: Math.floor(ms / MS_MINUTE) };
  }

  // ---- internals (arguments already validated; instants are epoch ms) ----

  private working(date: string): boolean {
    const wd = weekday(date);
    return wd !== 0 && wd !== 6 && !holidaysIn(ymd(date)[0]).has(date);
  }

  private startOf(date: string): number {
    return wallToInstant(date, this.startMs);
  }

  private endOf(date: string): number {
    return wallToInstant(date, this.endMs);
  }

  private midnight(date: string): number {
    return wallToInstant(date, 0);
  }

  /** First working day strictly after (dir 1) or before (dir -1) `date`. */
  private adjacentWorkingDay(date: string, dir: 1 | -1): string {
    let d = addDays(date, dir);
    while (!this.working(d)) d = addDays(d, dir);
    return d;
  }

  private stepWorkingDays(date: string, n: number, dir: 1 | -1): string {
    if (n === 0) return this.working(date) ? date : this.adjacentWorkingDay(date, dir);
    let d = date; // day 0, working or not
    for (let i = 0; i < n; i++) d = this.adjacentWorkingDay(d, dir);
    return d;
  }

  private nextStart(t: number): number {
    const { date } = londonWall(t);
    if (this.working(date)) {
      if (t < this.startOf(date)) return this.startOf(date);
      if (t < this.endOf(date)) return t;
    }
    return this.startOf(this.adjacentWorkingDay(date, 1));
  }

  private shift(t: number, amount: number, unit: DurationUnit, dir: 1 | -1): number {
    switch (unit) {
      case "calendar-hours":
        return t + dir * amount * MS_HOUR;
      case "calendar-days":
        return this.shiftWall(t, (date) => addDays(date, dir * amount), amount);
      case "weeks":
        return this.shiftWall(t, (date) => addDays(date, dir * 7 * amount), amount);
      case "months":
        return this.shiftWall(t, (date) => addMonthsToDate(date, dir * amount), amount);
      case "working-days":
        return this.endOf(this.stepWorkingDays(londonWall(t).date, amount, dir));
      case "working-hours":
        return dir === 1 ? this.addWorkingHours(t, amount * MS_HOUR) : this.subtractWorkingHours(t, amount * MS_HOUR);
      case "working-day-hours":
        return dir === 1 ? this.addWorkingDayHours(t, amount * MS_HOUR) : this.subtractWorkingDayHours(t, amount * MS_HOUR);
    }
  }

  /** Same London wall-clock time on another date. Amount 0 returns `t` itself (even in the autumn overlap). */
  private shiftWall(t: number, move: (date: string) => string, amount: number): number {
    if (amount === 0) return t;
    const { date, msOfDay } = londonWall(t);
    return wallToInstant(move(date), msOfDay);
  }

  /**
   * Counting starts at the next working start if `t` is outside working time.
   * A deadline landing exactly on dayEnd stays there (`<=`), not the next morning.
   */
  private addWorkingHours(t: number, remaining: number): number {
    let cur = this.nextStart(t);
    let date = londonWall(cur).date;
    for (;;) {
      const available = this.endOf(date) - cur;
      if (remaining <= available) return cur + remaining;
      remaining -= available;
      date = this.adjacentWorkingDay(date, 1);
      cur = this.startOf(date);
    }
  }

  /**
   * Mirror of addWorkingHours: counting back starts at the latest working moment
   * at or before `t` (dayEnd of the previous working day if `t` is outside working
   * time). A result landing exactly on dayStart stays there (it is the latest such moment).
   */
  private subtractWorkingHours(t: number, remaining: number): number {
    let date = londonWall(t).date;
    let cur: number;
    if (this.working(date) && t >= this.startOf(date)) {
      cur = Math.min(t, this.endOf(date));
    } else {
      date = this.adjacentWorkingDay(date, -1);
      cur = this.endOf(date);
    }
    for (;;) {
      const available = cur - this.startOf(date);
      if (remaining <= available) return cur - remaining;
      remaining -= available;
      date = this.adjacentWorkingDay(date, -1);
      cur = this.endOf(date);
    }
  }

  /**
   * "N hours (working days only)": every hour of a working day counts, non-working
   * days are skipped whole. From a non-working day, counting starts at 00:00 London
   * of the next working day. Ending exactly at midnight gives 00:00 of the next
   * calendar day (= the end of the last working day).
   */
  private addWorkingDayHours(t: number, remaining: number): number {
    let date = londonWall(t).date;
    let cur = t;
    if (!this.working(date)) {
      date = this.adjacentWorkingDay(date, 1);
      cur = this.midnight(date);
    }
    for (;;) {
      const available = this.midnight(addDays(date, 1)) - cur;
      if (remaining <= available) return cur + remaining;
      remaining -= available;
      date = this.adjacentWorkingDay(date, 1);
      cur = this.midnight(date);
    }
  }

  /** Mirror of addWorkingDayHours: from a non-working day, count back from the end of the previous working day. */
  private subtractWorkingDayHours(t: number, remaining: number): number {
    let date = londonWall(t).date;
    let cur = t;
    if (!this.working(date)) {
      date = this.adjacentWorkingDay(date, -1);
      cur = this.midnight(addDays(date, 1));
    }
    for (;;) {
      const available = cur - this.midnight(date);
      if (remaining <= available) return cur - remaining;
      remaining -= available;
      date = this.adjacentWorkingDay(date, -1);
      cur = this.midnight(addDays(date, 1));
    }
  }
}

export const defaultCalendar = new WorkingCalendar();
