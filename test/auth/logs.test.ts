/**
 * Issue 6, point 5: structured JSON logs. Each line is one JSON object with time, level and msg;
 * turn lines carry the HTTP requestId and the conversationId; a child's name or date of birth never
 * appears, whatever the practitioner types; tokens and keys are scrubbed from any text.
 */
import { createLogger } from "../../bot/log";
import { BotHarness, questionIn } from "../helpers/bot";

describe("createLogger", () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, log: createLogger("debug", (l) => lines.push(l)) };
  };

  it("writes one JSON object a line with time, level and msg, and drops what is below the level", () => {
    const lines: string[] = [];
    const log = createLogger("info", (l) => lines.push(l));
    log.debug("not shown");
    log.info("shown", { requestId: "r1" });
    log.child({ conversationId: "c1" }).warn("child", { transferRequestId: "TR-7K3F9Q" });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), level: "info", msg: "shown", requestId: "r1" },
      { time: expect.any(String), level: "warn", msg: "child", conversationId: "c1", transferRequestId: "TR-7K3F9Q" },
    ]);
  });

  it("redacts fields that could carry a person's details or a secret, in any case", () => {
    const { lines, log } = capture();
    log.info("fields", { name: "Jasmine Okonkwo", ChildName: "Jasmine", DOB: "14/03/2011", dateOfBirth: "2011-03-14", text: "Jasmine Okonkwo", caseReference: "JO-2011", Authorization: "Bearer abc", connectionString: "UseDevelopmentStorage=true", count: 3 });
    const entry = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
    for (const k of ["name", "ChildName", "DOB", "dateOfBirth", "text", "caseReference", "Authorization", "connectionString"]) expect(entry[k]).toBe("[redacted]");
    expect(entry.count).toBe(3);
    expect(lines[0]).not.toMatch(/Jasmine|Okonkwo|2011/);
  });

  it("scrubs bearer tokens, JWTs and account keys out of any text", () => {
    const { lines, log } = capture();
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJib3QifQ.c2lnbmF0dXJl";
    log.error("failed", { message: `request with Bearer ${jwt} failed`, output: `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0a2V5PT0=;`, problems: [`token ${jwt}`] });
    expect(lines[0]).not.toContain(jwt);
    expect(lines[0]).not.toContain("c2VjcmV0a2V5PT0=");
    expect(JSON.parse(lines[0] ?? "{}")).toEqual(expect.objectContaining({ message: "request with Bearer [token] failed", output: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[redacted];", problems: ["token [token]"] }));
  });
});

describe("the bot's logs over whole conversations", () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start({ council: "enfield" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const NAMES = /Jasmine|Okonkwo|Kowalczyk|Tomasz|14\/03\/2011|2011-03-14|14 March 2011|03\/07\/2009/;

  it("never contains a child's name or date of birth, however they are typed", async () => {
    const chat = h.personal();
    await chat.say("Jasmine Okonkwo, DOB 14/03/2011, 16 year old, homeless, S20 for 14 weeks");
    await chat.say("her name is Jasmine Okonkwo and she was born 14 March 2011");
    await chat.say("Tomasz Kowalczyk (born 2011-03-14) is open to CPCiN");
    const x = await chat.say("where should this case go?");
    const q = questionIn(x);
    expect(q).toBeDefined();
    await chat.execute("answer", { questionId: q?.id, value: "Jasmine Okonkwo 03/07/2009" }); // nonsense answer from a card
    await chat.say("Jasmine Okonkwo");
    const group = h.groupChat("29:someone");
    await group.say("can you help with Tomasz Kowalczyk, born 03/07/2009?");

    expect(h.logLines.length).toBeGreaterThan(3);
    expect(h.logLines.join("\n")).not.toMatch(NAMES);
    expect(await h.storedText()).not.toMatch(NAMES);
  });

  it("writes JSON lines with time, level and msg; each turn line names its HTTP request and conversation", async () => {
    const entries = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const e of entries) expect(e).toEqual(expect.objectContaining({ time: expect.any(String), level: expect.stringMatching(/^(debug|info|warn|error)$/), msg: expect.any(String) }));
    const turns = entries.filter((e) => e.msg === "turn");
    expect(turns.length).toBeGreaterThan(3);
    for (const t of turns) expect(t).toEqual(expect.objectContaining({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), conversationId: expect.any(String) }));
    expect(new Set(turns.map((t) => t.requestId)).size).toBe(turns.length); // one id per HTTP request
  });
});
