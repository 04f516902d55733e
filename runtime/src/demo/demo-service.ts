import { DAY, HOUR, groupBy, isoDateTime, officeTime, record, type DemoContext, type DemoRecord } from "./demo-context.ts";
import { ACTIVITY_SUBJECTS, CASE_SUBJECTS } from "./demo-words.ts";

/** Hours to resolve a case, by priority. */
const SLA_HOURS: Record<string, number> = { low: 168, medium: 72, high: 24, urgent: 4 };

export function generateCases(
  ctx: DemoContext, n: number, accounts: readonly DemoRecord[], contacts: readonly DemoRecord[],
): DemoRecord[] {
  const { rng } = ctx;
  const contactsByAccount = groupBy(contacts, "account");
  const out: DemoRecord[] = [];
  for (let i = 0; i < n; i++) {
    const account = rng.chance(0.9) ? rng.pick(accounts) : undefined;
    const candidates = account ? contactsByAccount.get(account.id) ?? [] : contacts;
    const contact = candidates.length > 0 && rng.chance(0.8) ? rng.pick(candidates) : undefined;
    const priority = rng.weighted([["low", 25], ["medium", 45], ["high", 22], ["urgent", 8]]);
    const status = rng.weighted([["new", 12], ["open", 20], ["pending", 12], ["escalated", 6], ["resolved", 25], ["closed", 25]]);
    const openedAt = officeTime(ctx, -rng.int(0, 120));
    const slaDueAt = openedAt + SLA_HOURS[priority]! * HOUR;
    const solved = status === "resolved" || status === "closed";
    const resolvedAt = solved ? Math.min(ctx.base, openedAt + rng.int(1, SLA_HOURS[priority]! * 2) * HOUR) : undefined;
    const subject = rng.pick(CASE_SUBJECTS);
    out.push(record({
      id: rng.uuid(),
      subject,
      account: account?.id,
      contact: contact?.id,
      priority,
      status,
      origin: rng.weighted([["phone", 25], ["email", 30], ["web", 15], ["chat", 15], ["wechat", 10], ["social_media", 5]]),
      category: rng.weighted([["question", 30], ["problem", 35], ["feature_request", 12], ["complaint", 10], ["billing", 13]]),
      slaDueAt: isoDateTime(slaDueAt),
      escalated: status === "escalated" || (priority === "urgent" && rng.chance(0.4)),
      resolvedAt: resolvedAt === undefined ? undefined : isoDateTime(resolvedAt),
      description: `${subject}. Reported via customer portal; steps to reproduce attached.`,
      resolution: solved ? rng.pick(["Configuration corrected.", "Fixed in release 4.2.", "Explained the workaround.", "Credit note issued."]) : undefined,
    }));
  }
  return out;
}

export interface ActivityInputs {
  accounts: readonly DemoRecord[];
  contacts: readonly DemoRecord[];
  opportunities: readonly DemoRecord[];
  leads: readonly DemoRecord[];
  cases: readonly DemoRecord[];
}

interface Link {
  account?: string;
  contact?: string;
  opportunity?: string;
  lead?: string;
  serviceCase?: string;
}

/** What an activity is about: an opportunity, an account, a lead or a case, with its account and contact. */
function pickLink(ctx: DemoContext, inputs: ActivityInputs): Link {
  const { rng } = ctx;
  const about = rng.weighted([["opportunity", 35], ["account", 25], ["lead", 25], ["serviceCase", 15]]);
  const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
  if (about === "opportunity" && inputs.opportunities.length > 0) {
    const o = rng.pick(inputs.opportunities);
    return { opportunity: o.id, account: str(o.account), contact: str(o.primaryContact) };
  }
  if (about === "lead" && inputs.leads.length > 0) return { lead: rng.pick(inputs.leads).id };
  if (about === "serviceCase" && inputs.cases.length > 0) {
    const c = rng.pick(inputs.cases);
    return { serviceCase: c.id, account: str(c.account), contact: str(c.contact) };
  }
  const c = rng.pick(inputs.contacts);
  return str(c.account) ? { account: str(c.account), contact: c.id } : { account: rng.pick(inputs.accounts).id };
}

export function generateActivities(ctx: DemoContext, n: number, inputs: ActivityInputs): DemoRecord[] {
  const { rng } = ctx;
  const out: DemoRecord[] = [];
  for (let i = 0; i < n; i++) {
    const link = pickLink(ctx, inputs);
    const type = link.serviceCase
      ? rng.weighted([["call", 4], ["email", 4], ["task", 2], ["follow_up", 2]])
      : rng.weighted([["call", 30], ["meeting", 20], ["task", 20], ["email", 15], ["follow_up", 15]]);
    const dueAt = officeTime(ctx, rng.int(-120, 45));
    const done = dueAt < ctx.base ? rng.chance(0.85) : rng.chance(0.03);
    const completedAt = done ? Math.min(ctx.base, dueAt + rng.int(-2, 48) * HOUR) : undefined;
    const reminderAt = !done && rng.chance(0.5) ? dueAt - rng.pick([15 * 60_000, HOUR, DAY]) : undefined;
    out.push(record({
      id: rng.uuid(),
      subject: rng.pick(ACTIVITY_SUBJECTS[type]!),
      type,
      dueAt: isoDateTime(dueAt),
      reminderAt: reminderAt === undefined ? undefined : isoDateTime(reminderAt),
      done,
      completedAt: completedAt === undefined ? undefined : isoDateTime(completedAt),
      durationMinutes: type === "call" ? rng.int(5, 45) : type === "meeting" ? rng.pick([30, 45, 60, 90, 120]) : undefined,
      ...link,
      notes: rng.chance(0.4) ? `<p>${rng.pick(["Discussed pricing.", "Customer asked for a trial.", "Agreed on next steps.", "Left a voicemail.", "Sent the requested documents."])}</p>` : undefined,
    }));
  }
  return out;
}
