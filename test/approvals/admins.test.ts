/**
 * STEPWISE_ADMINS: when a council names its administrators, only they may register channels and
 * change approvers; everyone may still list them. Through the real endpoint and Azurite.
 */
import { loadPack } from "../../domain/check";
import { loadConfig } from "../../bot/config";
import mini from "../fixtures/mini-pack.json";
import { ApprovalsHarness, user, type Channel } from "./harness";

const pack = loadPack(mini);
const admin = user("Ada Admin");
const manager = user("Max Manager");

let h: ApprovalsHarness;
let channel: Channel;

beforeAll(async () => {
  const config = loadConfig({ STEPWISE_ADMINS: ` ${admin.id} , ${randomGuid()} ` });
  h = await ApprovalsHarness.start({ packs: { mini: pack }, approvals: { admins: config.admins! } });
  const team = h.team("Mini managers", [admin, manager]);
  channel = team.channel("MASH managers");
  await team.installed(admin);
});
afterAll(async () => {
  await h.stop();
});

function randomGuid(): string {
  return "7d5f2c8e-1b2a-4c3d-9e8f-0a1b2c3d4e5f";
}

/** Say something in a new thread of the channel; Stepwise's answer in that thread. */
async function ask(who: typeof admin, words: string): Promise<string> {
  const thread = channel.as(who);
  expect((await thread.say(words)).status).toBe(200);
  await h.settle();
  return h.connector
    .sentTo(thread.conversation.id)
    .map((x) => String((x.activity as { text?: string }).text ?? ""))
    .join("\n");
}

it("reads STEPWISE_ADMINS as a list of ids, and refuses a malformed one", () => {
  expect(loadConfig({ STEPWISE_ADMINS: "29:a, 29:b" }).admins).toEqual(["29:a", "29:b"]);
  expect(() => loadConfig({ STEPWISE_ADMINS: " , " })).toThrow(/STEPWISE_ADMINS: expected a comma-separated list/);
});

it("refuses a channel registration by someone who is not an administrator, and registers nothing", async () => {
  expect(await ask(manager, "register this channel as mini mash team managers")).toMatch(/Only Stepwise's administrators can change channel registrations/);
  expect(await ask(manager, "channels")).not.toMatch(/MASH Team Manager/);
});

it("lets an administrator register the channel", async () => {
  expect(await ask(admin, "register this channel as mini mash team managers")).not.toMatch(/Only Stepwise's administrators/);
  expect(await ask(manager, "channels")).toMatch(/MASH Team Manager/);
});
