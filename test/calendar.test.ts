/**
 * Working-time calendar edges. Expected values are literal instants worked out
 * by hand (bank holidays looked up once with date-holidays GB/ENG), never
 * computed with the code under test.
 *
 * Reminders: in BST (29 Mar–25 Oct 2026, 28 Mar–31 Oct 2027) London 17:00 is 16:00Z.
 * 2026-12-25 Fri, 2026-12-26 Sat (substitute Mon 28 Dec), 2027-01-01 Fri,
 * Good Friday 2027-03-26, Easter Monday 2027-03-29 (BST starts Sun 28 Mar 01:00Z),
 * 2027: early May Mon 3 May, spring Mon 31 May, summer Mon 30 Aug.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { WorkingCalendar, defaultCalendar, type Duration } from "../domain/calendar";

const cal = new WorkingCalendar();
const at = (iso: string) => new Date(iso);
const wd = (amount: number): Duration => ({ amount, unit: "working-days" });
const wh = (amount: number): Duration => ({ amount, unit: "working-hours" });
const wdh = (amount: number): Duration => ({ amount, unit: "working-day-hours" });

describe("WorkingCalendar defaults", () => {
  it("uses a 09:00–17:00 working day by default", () => {
    expect(defaultCalendar.dayStart).toBe("09:00");
    expect(defaultCalendar.dayEnd).toBe("17:00");
  });

  it("never reads the system clock in the domain code", () => {
    const src = readFileSync(join(__dirname, "../domain/calendar.ts"), "utf8");
    expect(src).not.toMatch(/Date\.now\s*\(/);
    expect(src).not.toMatch(/new Date\(\s*\)/);
  });
});

describe("London wall clock", () => {
  it("returns the next London date for 23:30Z in summer (BST is UTC+1)", () => {
    expect(cal.londonDate(at("2026-07-01T23:30:00Z"))).toBe("2026-07-02");
    expect(cal.londonTime(at("2026-07-01T23:30:00Z"))).toBe("00:30");
  });

  it("returns the UTC wall-clock time in winter (GMT)", () => {
    expect(cal.londonDate(at("2026-12-01T09:05:59Z"))).toBe("2026-12-01");
    expect(cal.londonTime(at("2026-12-01T09:05:59Z"))).toBe("09:05");
  });

  it("converts London 17:00 in BST to 16:00Z", () => {
    expect(cal.atLondon("2026-07-01", "17:00")).toEqual(at("2026-07-01T16:00:00Z"));
  });

  it("converts London 17:00 in GMT to 17:00Z", () => {
    expect(cal.atLondon("2026-12-29", "17:00")).toEqual(at("2026-12-29T17:00:00Z"));
  });

  it("moves a wall-clock time in the spring-forward gap to the first valid instant (02:00 BST)", () => {
    expect(cal.atLondon("2027-03-28", "01:30")).toEqual(at("2027-03-28T01:00:00Z"));
    expect(cal.atLondon("2027-03-28", "01:00")).toEqual(at("2027-03-28T01:00:00Z"));
  });

  it("takes the first (BST) occurrence of a wall-clock time in the autumn overlap", () => {
    expect(cal.atLondon("2026-10-25", "01:30")).toEqual(at("2026-10-25T00:30:00Z"));
    expect(cal.atLondon("2027-10-31", "01:00")).toEqual(at("2027-10-31T00:00:00Z"));
  });

  it("reads both occurrences of 01:30 on the autumn change day as 01:30", () => {
    expect(cal.londonTime(at("2026-10-25T00:30:00Z"))).toBe("01:30");
    expect(cal.londonTime(at("2026-10-25T01:30:00Z"))).toBe("01:30");
  });
});

describe("bank holidays (England & Wales)", () => {
  it("names Christmas Day 2026 (a Friday)", () => {
    expect(cal.bankHoliday("2026-12-25")).toBe("Christmas Day");
  });

  it("makes Monday 28 Dec 2026 the substitute day for Boxing Day on a Saturday", () => {
    expect(cal.bankHoliday("2026-12-28")).toBe("Boxing Day (substitute day)");
  });

  it("names New Year's Day 2027 (a Friday)", () => {
    expect(cal.bankHoliday("2027-01-01")).toBe("New Year's Day");
  });

  it("names Good Friday and Easter Monday 2027", () => {
    expect(cal.bankHoliday("2027-03-26")).toBe("Good Friday");
    expect(cal.bankHoliday("2027-03-29")).toBe("Easter Monday");
  });

  it("names the early May, spring and summer bank holidays of 2027", () => {
    expect(cal.bankHoliday("2027-05-03")).toBe("Early May bank holiday");
    expect(cal.bankHoliday("2027-05-31")).toBe("Spring bank holiday");
    expect(cal.bankHoliday("2027-08-30")).toBe("Summer bank holiday");
  });

  it("ignores observances such as Mother's Day", () => {
    expect(cal.bankHoliday("2027-03-07")).toBeUndefined();
  });

  it("returns undefined on an ordinary day", () => {
    expect(cal.bankHoliday("2026-12-29")).toBeUndefined();
  });
});

describe("isWorkingDay / isWorkingTime", () => {
  it("treats Christmas week 2026 as working only on 24 and 29–31 Dec", () => {
    expect(cal.isWorkingDay("2026-12-24")).toBe(true);
    expect(cal.isWorkingDay("2026-12-25")).toBe(false);
    expect(cal.isWorkingDay("2026-12-26")).toBe(false);
    expect(cal.isWorkingDay("2026-12-27")).toBe(false);
    expect(cal.isWorkingDay("2026-12-28")).toBe(false);
    expect(cal.isWorkingDay("2026-12-29")).toBe(true);
    expect(cal.isWorkingDay("2027-01-01")).toBe(false);
  });

  it("treats the summer bank holiday 2027 (England only) as a non-working day", () => {
    expect(cal.isWorkingDay("2027-08-30")).toBe(false);
  });

  it("counts 09:00 as working time and 17:00 as not (BST)", () => {
    expect(cal.isWorkingTime(at("2026-07-06T08:00:00Z"))).toBe(true); // Mon 09:00 BST
    expect(cal.isWorkingTime(at("2026-07-06T07:59:00Z"))).toBe(false); // 08:59
    expect(cal.isWorkingTime(at("2026-07-06T15:59:00Z"))).toBe(true); // 16:59
    expect(cal.isWorkingTime(at("2026-07-06T16:00:00Z"))).toBe(false); // 17:00
  });

  it("is not working time on a Saturday or a bank holiday", () => {
    expect(cal.isWorkingTime(at("2026-07-04T10:00:00Z"))).toBe(false);
    expect(cal.isWorkingTime(at("2027-03-29T10:00:00Z"))).toBe(false);
  });

  it("honours custom working hours", () => {
    const c = new WorkingCalendar({ dayStart: "08:30", dayEnd: "16:30" });
    expect(c.isWorkingTime(at("2026-12-07T08:30:00Z"))).toBe(true);
    expect(c.isWorkingTime(at("2026-12-07T16:30:00Z"))).toBe(false);
  });
});

describe("nextWorkingStart", () => {
  it("returns the instant itself during working time", () => {
    expect(cal.nextWorkingStart(at("2026-07-06T10:15:00Z"))).toEqual(at("2026-07-06T10:15:00Z"));
  });

  it("returns 09:00 the same day when before the working day starts", () => {
    expect(cal.nextWorkingStart(at("2026-12-29T07:00:00Z"))).toEqual(at("2026-12-29T09:00:00Z"));
  });

  it("returns Monday 09:00 after Friday 17:00", () => {
    expect(cal.nextWorkingStart(at("2026-07-03T16:30:00Z"))).toEqual(at("2026-07-06T08:00:00Z"));
  });

  it("returns Tuesday 29 Dec 09:00 after Christmas Eve 2026 closes", () => {
    expect(cal.nextWorkingStart(at("2026-12-24T18:00:00Z"))).toEqual(at("2026-12-29T09:00:00Z"));
  });

  it("returns Tuesday 09:00 BST after Easter 2027, when the clocks went forward over the weekend", () => {
    expect(cal.nextWorkingStart(at("2027-03-25T18:00:00Z"))).toEqual(at("2027-03-30T08:00:00Z"));
  });
});

describe("addWorkingDays / subtractWorkingDays (dates)", () => {
  it("returns Tuesday 29 Dec when 1 working day is added to Thursday 24 Dec 2026", () => {
    expect(cal.addWorkingDays("2026-12-24", 1)).toBe("2026-12-29");
  });

  it("returns Monday 4 Jan 2027 when 4 working days are added to Christmas Eve 2026", () => {
    expect(cal.addWorkingDays("2026-12-24", 4)).toBe("2027-01-04");
  });

  it("counts the event's date as day 0 even on a Saturday (Monday is day 1)", () => {
    expect(cal.addWorkingDays("2026-07-04", 1)).toBe("2026-07-06");
  });

  it("returns the date itself for 0 working days on a working day", () => {
    expect(cal.addWorkingDays("2026-07-06", 0)).toBe("2026-07-06");
  });

  it("returns the next working day for 0 working days on a non-working day", () => {
    expect(cal.addWorkingDays("2026-12-25", 0)).toBe("2026-12-29");
  });

  it("skips Good Friday, the weekend and Easter Monday 2027", () => {
    expect(cal.addWorkingDays("2027-03-25", 1)).toBe("2027-03-30");
  });

  it("skips the early May bank holiday 2027", () => {
    expect(cal.addWorkingDays("2027-04-30", 1)).toBe("2027-05-04");
  });

  it("skips the spring bank holiday 2027", () => {
    expect(cal.addWorkingDays("2027-05-28", 1)).toBe("2027-06-01");
  });

  it("skips the summer bank holiday 2027", () => {
    expect(cal.addWorkingDays("2027-08-27", 1)).toBe("2027-08-31");
  });

  it("returns Christmas Eve as the working day before Tuesday 29 Dec 2026", () => {
    expect(cal.subtractWorkingDays("2026-12-29", 1)).toBe("2026-12-24");
  });
});

describe("add: working-days", () => {
  it("returns Monday 17:00 when 1 working day is added on a Friday", () => {
    expect(cal.add(at("2026-07-03T09:00:00Z"), wd(1))).toEqual(at("2026-07-06T16:00:00Z"));
  });

  it("returns Monday 17:00 when 1 working day is added on a Saturday (Saturday is day 0)", () => {
    expect(cal.add(at("2026-07-04T10:00:00Z"), wd(1))).toEqual(at("2026-07-06T16:00:00Z"));
  });

  it("returns 17:00 the same day for 0 working days on a working day", () => {
    expect(cal.add(at("2026-07-01T09:00:00Z"), wd(0))).toEqual(at("2026-07-01T16:00:00Z"));
  });

  it("returns Monday 17:00 for 0 working days on a Saturday", () => {
    expect(cal.add(at("2026-07-04T10:00:00Z"), wd(0))).toEqual(at("2026-07-06T16:00:00Z"));
  });

  it("returns Tuesday 29 Dec 17:00 when 1 working day is added on Thursday 24 Dec 2026", () => {
    expect(cal.add(at("2026-12-24T14:00:00Z"), wd(1))).toEqual(at("2026-12-29T17:00:00Z"));
  });

  it("returns Tuesday 29 Dec 17:00 when 1 working day is added on Christmas Day 2026", () => {
    expect(cal.add(at("2026-12-25T10:00:00Z"), wd(1))).toEqual(at("2026-12-29T17:00:00Z"));
  });

  it("returns Tuesday 5 Jan 2027 17:00 when 5 working days are added on Christmas Eve 2026 (skips New Year)", () => {
    expect(cal.add(at("2026-12-24T10:00:00Z"), wd(5))).toEqual(at("2027-01-05T17:00:00Z"));
  });

  it("returns Tuesday 17:00 BST when 1 working day is added on the Thursday before Easter 2027", () => {
    expect(cal.add(at("2027-03-25T12:00:00Z"), wd(1))).toEqual(at("2027-03-30T16:00:00Z"));
  });

  it("returns Tuesday 4 May 17:00 when 1 working day is added on Friday 30 Apr 2027", () => {
    expect(cal.add(at("2027-04-30T09:00:00Z"), wd(1))).toEqual(at("2027-05-04T16:00:00Z"));
  });

  it("returns Tuesday 1 Jun 17:00 when 1 working day is added on Friday 28 May 2027", () => {
    expect(cal.add(at("2027-05-28T09:00:00Z"), wd(1))).toEqual(at("2027-06-01T16:00:00Z"));
  });

  it("returns Tuesday 31 Aug 17:00 when 1 working day is added on Friday 27 Aug 2027", () => {
    expect(cal.add(at("2027-08-27T09:00:00Z"), wd(1))).toEqual(at("2027-08-31T16:00:00Z"));
  });

  it("ends at the custom dayEnd", () => {
    const c = new WorkingCalendar({ dayStart: "08:30", dayEnd: "16:30" });
    expect(c.add(at("2026-12-04T10:00:00Z"), wd(1))).toEqual(at("2026-12-07T16:30:00Z"));
  });
});

describe("subtract: working-days", () => {
  it("returns Monday 17:00 for 2 working days prior to a Wednesday CIN meeting", () => {
    expect(cal.subtract(at("2026-07-08T09:00:00Z"), wd(2))).toEqual(at("2026-07-06T16:00:00Z"));
  });

  it("returns Wednesday 23 Dec 17:00 for 2 working days prior to Tuesday 29 Dec 2026", () => {
    expect(cal.subtract(at("2026-12-29T10:00:00Z"), wd(2))).toEqual(at("2026-12-23T17:00:00Z"));
  });

  it("returns Thursday 17:00 GMT for 1 working day prior to the Tuesday after Easter 2027", () => {
    expect(cal.subtract(at("2027-03-30T09:00:00Z"), wd(1))).toEqual(at("2027-03-25T17:00:00Z"));
  });
});

describe("add / subtract: working-hours", () => {
  it("adds hours within a single working day", () => {
    expect(cal.add(at("2026-07-06T09:00:00Z"), wh(3))).toEqual(at("2026-07-06T12:00:00Z"));
  });

  it("returns Monday 11:00 when 4 working hours are added on Friday 15:00 (across the weekend)", () => {
    expect(cal.add(at("2026-07-03T14:00:00Z"), wh(4))).toEqual(at("2026-07-06T10:00:00Z"));
  });

  it("starts counting at Monday 09:00 when the clock starts on a Saturday", () => {
    expect(cal.add(at("2026-07-04T11:00:00Z"), wh(2))).toEqual(at("2026-07-06T10:00:00Z"));
  });

  it("starts counting at the next morning when the clock starts after 17:00", () => {
    expect(cal.add(at("2026-07-03T17:00:00Z"), wh(1))).toEqual(at("2026-07-06T09:00:00Z"));
  });

  it("stays at 17:00 when the deadline lands exactly on dayEnd (not the next morning)", () => {
    expect(cal.add(at("2026-07-03T14:00:00Z"), wh(2))).toEqual(at("2026-07-03T16:00:00Z"));
  });

  it("returns the next working start for 0 working hours outside working time", () => {
    expect(cal.add(at("2026-07-04T11:00:00Z"), wh(0))).toEqual(at("2026-07-06T08:00:00Z"));
  });

  it("returns Tuesday 29 Dec 10:00 when 2 working hours are added on Christmas Eve 2026 at 16:00", () => {
    expect(cal.add(at("2026-12-24T16:00:00Z"), wh(2))).toEqual(at("2026-12-29T10:00:00Z"));
  });

  it("returns Tuesday 10:00 BST when 2 working hours are added at 16:00 GMT before Easter 2027", () => {
    expect(cal.add(at("2027-03-25T16:00:00Z"), wh(2))).toEqual(at("2027-03-30T09:00:00Z"));
  });

  it("returns Monday 10:00 GMT when 2 working hours are added at Friday 16:00 BST before the autumn change", () => {
    expect(cal.add(at("2026-10-23T15:00:00Z"), wh(2))).toEqual(at("2026-10-26T10:00:00Z"));
  });

  it("returns Friday 16:00 when 2 working hours are subtracted from Monday 10:00", () => {
    expect(cal.subtract(at("2026-07-06T09:00:00Z"), wh(2))).toEqual(at("2026-07-03T15:00:00Z"));
  });

  it("counts back from Friday 17:00 when subtracting from a Saturday", () => {
    expect(cal.subtract(at("2026-07-04T11:00:00Z"), wh(1))).toEqual(at("2026-07-03T15:00:00Z"));
  });

  it("stays at 09:00 when a subtraction lands exactly on dayStart", () => {
    expect(cal.subtract(at("2026-07-06T10:00:00Z"), wh(2))).toEqual(at("2026-07-06T08:00:00Z"));
  });
});

describe("add / subtract: working-day-hours (\"72 hours (working days only)\")", () => {
  it("returns Wednesday 15:00 when 72 hours are added on Friday 15:00 in an ordinary week", () => {
    expect(cal.add(at("2026-07-03T14:00:00Z"), wdh(72))).toEqual(at("2026-07-08T14:00:00Z"));
  });

  it("starts counting at 00:00 on Monday when the clock starts on a Saturday", () => {
    expect(cal.add(at("2026-07-04T10:00:00Z"), wdh(24))).toEqual(at("2026-07-06T23:00:00Z"));
  });

  it("ends at midnight (the end of Friday) when exactly the rest of Friday is used", () => {
    expect(cal.add(at("2026-07-02T23:00:00Z"), wdh(24))).toEqual(at("2026-07-03T23:00:00Z"));
  });

  it("returns Thursday 31 Dec 15:00 when 72 hours are added on Christmas Eve 2026 at 15:00", () => {
    expect(cal.add(at("2026-12-24T15:00:00Z"), wdh(72))).toEqual(at("2026-12-31T15:00:00Z"));
  });

  it("returns Monday 4 Jan 2027 12:00 when 24 hours are added on New Year's Eve 2026 at 12:00", () => {
    expect(cal.add(at("2026-12-31T12:00:00Z"), wdh(24))).toEqual(at("2027-01-04T12:00:00Z"));
  });

  it("returns Tuesday 12:00 BST when 24 hours are added at Thursday 12:00 GMT before Easter 2027", () => {
    expect(cal.add(at("2027-03-25T12:00:00Z"), wdh(24))).toEqual(at("2027-03-30T11:00:00Z"));
  });

  it("returns Wednesday 15:00 GMT when 72 hours are added at Friday 15:00 BST before the autumn change", () => {
    expect(cal.add(at("2026-10-23T14:00:00Z"), wdh(72))).toEqual(at("2026-10-28T15:00:00Z"));
  });

  it("returns Friday 15:00 when 72 hours are subtracted from Wednesday 15:00", () => {
    expect(cal.subtract(at("2026-07-08T14:00:00Z"), wdh(72))).toEqual(at("2026-07-03T14:00:00Z"));
  });
});

describe("calendar-hours, calendar-days and weeks across clock changes", () => {
  it("treats 24 calendar-hours across the autumn 2026 change as 24 real hours (wall clock 11:00)", () => {
    expect(cal.add(at("2026-10-24T11:00:00Z"), { amount: 24, unit: "calendar-hours" })).toEqual(
      at("2026-10-25T11:00:00Z"),
    );
  });

  it("keeps the wall-clock time (12:00) when 1 calendar-day is added across the autumn 2026 change", () => {
    expect(cal.add(at("2026-10-24T11:00:00Z"), { amount: 1, unit: "calendar-days" })).toEqual(
      at("2026-10-25T12:00:00Z"),
    );
  });

  it("treats 24 calendar-hours across the autumn 2027 change as 24 real hours", () => {
    expect(cal.add(at("2027-10-30T08:00:00Z"), { amount: 24, unit: "calendar-hours" })).toEqual(
      at("2027-10-31T08:00:00Z"),
    );
  });

  it("keeps the wall-clock time (09:00) when 1 calendar-day is added across the autumn 2027 change", () => {
    expect(cal.add(at("2027-10-30T08:00:00Z"), { amount: 1, unit: "calendar-days" })).toEqual(
      at("2027-10-31T09:00:00Z"),
    );
  });

  it("treats 24 calendar-hours across the spring 2027 change as 24 real hours (wall clock 13:00)", () => {
    expect(cal.add(at("2027-03-27T12:00:00Z"), { amount: 24, unit: "calendar-hours" })).toEqual(
      at("2027-03-28T12:00:00Z"),
    );
  });

  it("keeps the wall-clock time when 1 calendar-day is added across the spring 2027 change", () => {
    expect(cal.add(at("2027-03-27T12:00:00Z"), { amount: 1, unit: "calendar-days" })).toEqual(
      at("2027-03-28T11:00:00Z"),
    );
  });

  it("moves to 02:00 BST when a calendar-day lands in the spring-forward gap", () => {
    expect(cal.add(at("2027-03-27T01:30:00Z"), { amount: 1, unit: "calendar-days" })).toEqual(
      at("2027-03-28T01:00:00Z"),
    );
  });

  it("takes the BST reading when a calendar-day lands in the autumn overlap", () => {
    expect(cal.add(at("2026-10-24T00:30:00Z"), { amount: 1, unit: "calendar-days" })).toEqual(
      at("2026-10-25T00:30:00Z"),
    );
  });

  it("does not skip weekends for calendar-hours", () => {
    expect(cal.add(at("2026-07-03T14:00:00Z"), { amount: 48, unit: "calendar-hours" })).toEqual(
      at("2026-07-05T14:00:00Z"),
    );
  });

  it("keeps the wall-clock time when 4 weeks are added across the autumn 2026 change", () => {
    expect(cal.add(at("2026-10-14T09:00:00Z"), { amount: 4, unit: "weeks" })).toEqual(at("2026-11-11T10:00:00Z"));
  });

  it("subtracts 24 real hours but 1 wall-clock day across the spring 2027 change", () => {
    expect(cal.subtract(at("2027-03-28T11:00:00Z"), { amount: 24, unit: "calendar-hours" })).toEqual(
      at("2027-03-27T11:00:00Z"),
    );
    expect(cal.subtract(at("2027-03-28T11:00:00Z"), { amount: 1, unit: "calendar-days" })).toEqual(
      at("2027-03-27T12:00:00Z"),
    );
  });
});

describe("months", () => {
  it("clamps 31 Jan 2027 + 1 month to 28 Feb 2027", () => {
    expect(cal.add(at("2027-01-31T10:00:00Z"), { amount: 1, unit: "months" })).toEqual(at("2027-02-28T10:00:00Z"));
  });

  it("clamps 31 Jan 2028 + 1 month to 29 Feb 2028 (leap year)", () => {
    expect(cal.add(at("2028-01-31T10:00:00Z"), { amount: 1, unit: "months" })).toEqual(at("2028-02-29T10:00:00Z"));
  });

  it("clamps 31 Aug 2026 + 1 month to 30 Sep 2026, keeping 10:00 BST", () => {
    expect(cal.add(at("2026-08-31T09:00:00Z"), { amount: 1, unit: "months" })).toEqual(at("2026-09-30T09:00:00Z"));
  });

  it("keeps the wall-clock time when a month crosses the spring change", () => {
    expect(cal.add(at("2027-03-15T10:00:00Z"), { amount: 1, unit: "months" })).toEqual(at("2027-04-15T09:00:00Z"));
  });

  it("clamps 29 Feb 2028 + 12 months to 28 Feb 2029", () => {
    expect(cal.add(at("2028-02-29T10:00:00Z"), { amount: 12, unit: "months" })).toEqual(at("2029-02-28T10:00:00Z"));
  });
});

describe("subtract: one month before / 4 weeks before", () => {
  it("returns 15 Oct 10:00 BST for one month before a transfer on Monday 15 Nov 2027 10:00 GMT", () => {
    expect(cal.subtract(at("2027-11-15T10:00:00Z"), { amount: 1, unit: "months" })).toEqual(
      at("2027-10-15T09:00:00Z"),
    );
  });

  it("clamps one month before 31 Mar 2027 to 28 Feb 2027", () => {
    expect(cal.subtract(at("2027-03-31T09:00:00Z"), { amount: 1, unit: "months" })).toEqual(
      at("2027-02-28T10:00:00Z"),
    );
  });

  it("returns Tuesday 12 Oct 14:00 BST for 4 weeks before a 2nd LAC review on Tuesday 9 Nov 2027 14:00 GMT", () => {
    expect(cal.subtract(at("2027-11-09T14:00:00Z"), { amount: 4, unit: "weeks" })).toEqual(
      at("2027-10-12T13:00:00Z"),
    );
  });
});

describe("workingTimeBetween", () => {
  it("counts Monday as 1 working day and 4 working hours from Friday 15:00 to Monday 11:00", () => {
    expect(cal.workingTimeBetween(at("2026-07-03T14:00:00Z"), at("2026-07-06T10:00:00Z"))).toEqual({
      workingDays: 1,
      workingMinutes: 240,
    });
  });

  it("skips Christmas 2026 and the substitute day", () => {
    expect(cal.workingTimeBetween(at("2026-12-24T16:00:00Z"), at("2026-12-29T17:00:00Z"))).toEqual({
      workingDays: 1,
      workingMinutes: 540,
    });
  });

  it("uses the day-zero rule: Christmas Eve 10:00 to 31 Dec 17:00 is 3 working days", () => {
    expect(cal.workingTimeBetween(at("2026-12-24T10:00:00Z"), at("2026-12-31T17:00:00Z"))).toEqual({
      workingDays: 3,
      workingMinutes: 420 + 3 * 480,
    });
  });

  it("returns zero for an empty interval", () => {
    expect(cal.workingTimeBetween(at("2026-07-06T10:00:00Z"), at("2026-07-06T10:00:00Z"))).toEqual({
      workingDays: 0,
      workingMinutes: 0,
    });
  });

  it("throws when to is before from", () => {
    expect(() => cal.workingTimeBetween(at("2026-07-06T10:00:00Z"), at("2026-07-06T09:00:00Z"))).toThrow(
      /to must be at or after from/,
    );
  });
});

describe("invalid input", () => {
  it("throws naming `from` when add is given an Invalid Date", () => {
    expect(() => cal.add(new Date("nope"), wd(1))).toThrow(/add: from must be a valid Date, got Invalid Date/);
  });

  it("throws naming `instant` when londonDate is given an Invalid Date", () => {
    expect(() => cal.londonDate(new Date(NaN))).toThrow(/instant must be a valid Date/);
  });

  it("throws for a negative amount", () => {
    expect(() => cal.add(at("2026-07-06T10:00:00Z"), wd(-1))).toThrow(
      /duration\.amount must be a non-negative integer, got -1/,
    );
  });

  it("throws for a non-integer amount", () => {
    expect(() => cal.subtract(at("2026-07-06T10:00:00Z"), wh(1.5))).toThrow(
      /duration\.amount must be a non-negative integer, got 1\.5/,
    );
  });

  it("throws for a NaN amount", () => {
    expect(() => cal.add(at("2026-07-06T10:00:00Z"), wh(NaN))).toThrow(/duration\.amount/);
  });

  it("throws for an unknown unit", () => {
    expect(() =>
      cal.add(at("2026-07-06T10:00:00Z"), { amount: 1, unit: "fortnights" } as unknown as Duration),
    ).toThrow(/duration\.unit must be one of/);
  });

  it("throws for a malformed date", () => {
    expect(() => cal.isWorkingDay("26/12/2026")).toThrow(/date must be a London date "YYYY-MM-DD"/);
    expect(() => cal.addWorkingDays("2026-2-3", 1)).toThrow(/date must be a London date/);
  });

  it("throws for an impossible calendar date", () => {
    expect(() => cal.bankHoliday("2026-02-30")).toThrow(/date must be a London date/);
  });

  it("throws for a malformed or out-of-range time", () => {
    expect(() => cal.atLondon("2026-07-06", "9:00")).toThrow(/time must be a London time "HH:mm"/);
    expect(() => cal.atLondon("2026-07-06", "24:00")).toThrow(/time must be a London time/);
  });

  it("throws for a negative working-day count", () => {
    expect(() => cal.addWorkingDays("2026-07-06", -1)).toThrow(/n must be a non-negative integer/);
  });

  it("throws for bad working hours in the constructor", () => {
    expect(() => new WorkingCalendar({ dayStart: "9am" })).toThrow(/dayStart must be a London time "HH:mm"/);
    expect(() => new WorkingCalendar({ dayEnd: "25:00" })).toThrow(/dayEnd must be a London time/);
  });

  it("throws when dayStart is not before dayEnd", () => {
    expect(() => new WorkingCalendar({ dayStart: "17:00", dayEnd: "09:00" })).toThrow(
      /dayStart \(17:00\) must be before dayEnd \(09:00\)/,
    );
    expect(() => new WorkingCalendar({ dayStart: "09:00", dayEnd: "09:00" })).toThrow(/must be before dayEnd/);
  });
});
