// The weekly messages as email (subject, HTML and the plain-text part) and as
// chat text, from the plain data in content.ts. Pure: the preview page, the
// dry run and the sender all render through here, so what an admin previews
// is what a person receives.
//
// Every link is absolute (an email has no "current page"): the app's public
// address comes from APP_URL (see transport.ts).
import type { BriefDeal, ChangeLine, DigestDeal, ManagerBrief, RepDigest, WeeklyMessage } from "./content";
import { pipelineNudge } from "./content";
import { formatCalendarDay, formatInstantDay, formatMoneyFor, type ReaderFormat } from "./locale";

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** Short plain text for a team chat (Slack / Teams incoming webhook). */
  chat: string;
}

const escapeMap: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Anything a person typed (deal names, reasons) is escaped before it goes into HTML. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => escapeMap[character] ?? character);
}

export function appLink(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${path}`;
}

export function dealLink(baseUrl: string, dealId: number): string {
  return appLink(baseUrl, `/deals/${dealId}`);
}

export function renderMessage(message: WeeklyMessage, baseUrl: string): RenderedMessage {
  return message.kind === "rep-digest" ? renderRepDigest(message, baseUrl) : renderManagerBrief(message, baseUrl);
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;color:#0f172a;max-width:640px;margin:0 auto;padding:16px;line-height:1.45">${body}</body></html>`;
}

const footer = (reader: ReaderFormat, baseUrl: string) =>
  `You get this because you use Pipeline Integrity. Turn this message off on your account page: ${appLink(baseUrl, "/account")} (dates in ${reader.timeZone}).`;

function dealLineText(deal: DigestDeal, reader: ReaderFormat, baseUrl: string): string {
  const since = deal.flaggedSince ? ` since ${formatInstantDay(deal.flaggedSince, reader)}` : "";
  return [
    `- ${deal.newThisWeek ? "[NEW] " : ""}${deal.name}${deal.accountName ? ` (${deal.accountName})` : ""} — ${deal.stageName}, ${formatMoneyFor(deal.amountCents, deal.currency, reader)}`,
    `  ${deal.flagLabel}${since}: ${deal.explanation}`,
    `  Do this: ${deal.action}`,
    `  ${dealLink(baseUrl, deal.id)}`,
  ].join("\n");
}

function dealItemHtml(deal: DigestDeal, reader: ReaderFormat, baseUrl: string): string {
  const since = deal.flaggedSince ? ` since ${escapeHtml(formatInstantDay(deal.flaggedSince, reader))}` : "";
  const isNew = deal.newThisWeek
    ? '<strong style="background:#fef3c7;padding:0 4px;border-radius:3px">New this week</strong> '
    : "";
  return `<li style="margin-bottom:12px">${isNew}<a href="${escapeHtml(dealLink(baseUrl, deal.id))}">${escapeHtml(deal.name)}</a>${deal.accountName ? ` (${escapeHtml(deal.accountName)})` : ""} — ${escapeHtml(deal.stageName)}, ${escapeHtml(formatMoneyFor(deal.amountCents, deal.currency, reader))}<br><span style="color:#475569">${escapeHtml(deal.flagLabel)}${since}: ${escapeHtml(deal.explanation)}</span><br><strong>Do this:</strong> ${escapeHtml(deal.action)}</li>`;
}

export function renderRepDigest(digest: RepDigest, baseUrl: string): RenderedMessage {
  const reader = digest.recipient;
  const meeting = formatCalendarDay(digest.meetingDay, reader, "long");
  const myDeals = appLink(baseUrl, "/my");
  const nudge = pipelineNudge(digest.daysSinceLastNewDeal, digest.noNewPipelineDays);
  const count = digest.deals.length;
  const newCount = digest.deals.filter((deal) => deal.newThisWeek).length;
  const firstName = digest.recipient.name.split(/\s+/)[0] ?? digest.recipient.name;

  let subject: string;
  let summary: string;
  if (!digest.reviewed) {
    subject = "Your deals this week: not reviewed yet";
    summary = "The rules have not reviewed your pipeline yet, so nothing can be called clean or flagged.";
  } else if (count === 0) {
    subject = "Your pipeline is clean this week";
    summary = `None of your ${digest.openDeals} open ${digest.openDeals === 1 ? "deal is" : "deals are"} flagged. Keep logging buyer activity and moving deals forward.`;
  } else {
    subject = `${count} ${count === 1 ? "deal needs" : "deals need"} you before the meeting${newCount > 0 ? ` (${newCount} new)` : ""}`;
    summary = `${count} of your ${digest.openDeals} open deals ${count === 1 ? "is" : "are"} flagged${newCount > 0 ? `, ${newCount} for the first time this week` : ""}. One action each, newest first:`;
  }
  const intro = `Hi ${firstName}, here is your pipeline before the meeting on ${meeting}.`;

  const text = [
    intro,
    "",
    summary,
    ...(count > 0 ? ["", ...digest.deals.map((deal) => dealLineText(deal, reader, baseUrl))] : []),
    "",
    `New pipeline: ${nudge}`,
    "",
    `My deals: ${myDeals}`,
    "",
    footer(reader, baseUrl),
  ].join("\n");

  const html = page(
    subject,
    [
      `<p>${escapeHtml(intro)}</p>`,
      `<p>${escapeHtml(summary)}</p>`,
      count > 0
        ? `<ol style="padding-left:20px">${digest.deals.map((deal) => dealItemHtml(deal, reader, baseUrl)).join("")}</ol>`
        : "",
      `<h2 style="font-size:16px">New pipeline</h2><p>${escapeHtml(nudge)}</p>`,
      `<p><a href="${escapeHtml(myDeals)}" style="display:inline-block;background:#1e40af;color:#fff;padding:8px 14px;border-radius:6px;text-decoration:none">Open My deals</a></p>`,
      `<p style="color:#64748b;font-size:12px">${escapeHtml(footer(reader, baseUrl))}</p>`,
    ].join(""),
  );

  const chat = `${subject}\n${myDeals}`;
  return { subject, text, html, chat };
}

function briefDealText(deal: BriefDeal, reader: ReaderFormat, baseUrl: string): string {
  const why = deal.flagLabel ? `${deal.flagLabel}: ${deal.explanation}` : "No flags (late stage)";
  return `  - ${deal.name} — ${deal.stageName}, ${formatMoneyFor(deal.amountCents, deal.currency, reader)}. ${why} ${dealLink(baseUrl, deal.id)}`;
}

function briefDealHtml(deal: BriefDeal, reader: ReaderFormat, baseUrl: string): string {
  const why = deal.flagLabel
    ? `<span style="color:#475569">${escapeHtml(deal.flagLabel)}: ${escapeHtml(deal.explanation ?? "")}</span>`
    : '<span style="color:#475569">No flags (late stage)</span>';
  return `<li><a href="${escapeHtml(dealLink(baseUrl, deal.id))}">${escapeHtml(deal.name)}</a> — ${escapeHtml(deal.stageName)}, ${escapeHtml(formatMoneyFor(deal.amountCents, deal.currency, reader))}<br>${why}</li>`;
}

function waiverText(waiver: ManagerBrief["expiringWaivers"][number], reader: ReaderFormat): string {
  const what = waiver.kind === "manager_keep" ? "Kept" : "Waiting on the buyer";
  return `${waiver.dealName} (${waiver.repName}): ${what} until ${formatCalendarDay(waiver.until, reader)} — “${waiver.reason}”`;
}

export function renderManagerBrief(brief: ManagerBrief, baseUrl: string): RenderedMessage {
  const reader = brief.recipient;
  const meeting = formatCalendarDay(brief.meetingDay, reader, "long");
  const meetingLink = appLink(baseUrl, "/meeting");
  const dealCount = brief.reps.reduce((sum, rep) => sum + rep.deals.length, 0);
  const subject = `${brief.teamName}: brief for the meeting on ${formatCalendarDay(brief.meetingDay, reader)}${brief.salesTrap.length > 0 ? " — sales-trap warning" : ""}`;
  const intro = `Hi ${brief.recipient.name.split(/\s+/)[0] ?? brief.recipient.name}, here is ${brief.teamName} before the meeting on ${meeting}.`;
  const money = (cents: number) => formatMoneyFor(cents, brief.currency, reader);

  const sections: { title: string; text: string[]; html: string }[] = [];
  if (!brief.reviewed) {
    sections.push({
      title: "Not reviewed yet",
      text: ["The rules have not reviewed the team's pipeline yet: run a review before the meeting."],
      html: "<p>The rules have not reviewed the team's pipeline yet: run a review before the meeting.</p>",
    });
  }
  if (brief.salesTrap.length > 0) {
    sections.push({
      title: "Warning: the sales trap",
      text: brief.salesTrap,
      html: `<p style="background:#fef2f2;border-left:4px solid #b91c1c;padding:8px">${brief.salesTrap.map(escapeHtml).join("<br>")}</p>`,
    });
  }
  if (brief.whatChanged) {
    const { openBefore, openNow } = brief.whatChanged;
    const lines = brief.whatChanged.lines.filter((line) => line.deals > 0);
    const signed = (line: ChangeLine) =>
      `${line.sign === 1 ? "+" : line.sign === -1 ? "−" : ""}${money(line.valueCents)}`;
    const open = (label: string, figure: { deals: number; valueCents: number }) =>
      `${label}: ${figure.deals} open ${figure.deals === 1 ? "deal" : "deals"}, ${money(figure.valueCents)}`;
    const rows = [
      open("A week ago", openBefore),
      ...(lines.length > 0
        ? lines.map((line) => `${line.label}: ${line.deals} (${signed(line)})`)
        : ["Nothing moved."]),
      open("Now", openNow),
    ];
    sections.push({
      title: "What changed since last week",
      text: rows.map((row) => `- ${row}`),
      html: `<ul>${rows.map((row) => `<li>${escapeHtml(row)}</li>`).join("")}</ul>`,
    });
  }
  sections.push({
    title: `Deals to discuss, in meeting order (${dealCount})`,
    text: brief.reps.flatMap((rep) => [
      `${rep.repName}:`,
      ...rep.deals.map((deal) => briefDealText(deal, reader, baseUrl)),
      ...(rep.earlyGroup.deals > 0
        ? [`  - ${rep.earlyGroup.deals} early-stage deals, ${money(rep.earlyGroup.valueCents)} — anything new?`]
        : []),
    ]),
    html: brief.reps
      .map(
        (rep) =>
          `<h3 style="font-size:15px;margin-bottom:4px">${escapeHtml(rep.repName)}</h3><ol style="padding-left:20px;margin-top:0">${rep.deals.map((deal) => briefDealHtml(deal, reader, baseUrl)).join("")}</ol>${rep.earlyGroup.deals > 0 ? `<p style="margin-top:0">${rep.earlyGroup.deals} early-stage deals, ${escapeHtml(money(rep.earlyGroup.valueCents))} — anything new?</p>` : ""}`,
      )
      .join(""),
  });
  sections.push({
    title: "Waivers that end by the meeting",
    text:
      brief.expiringWaivers.length > 0
        ? brief.expiringWaivers.map((waiver) => `- ${waiverText(waiver, reader)}`)
        : ["None."],
    html:
      brief.expiringWaivers.length > 0
        ? `<ul>${brief.expiringWaivers.map((waiver) => `<li><a href="${escapeHtml(dealLink(baseUrl, waiver.dealId))}">${escapeHtml(waiverText(waiver, reader))}</a></li>`).join("")}</ul>`
        : "<p>None.</p>",
  });

  const text = [
    intro,
    ...sections.flatMap((section) => ["", section.title.toUpperCase(), ...section.text]),
    "",
    `Meeting mode: ${meetingLink}`,
    "",
    footer(reader, baseUrl),
  ].join("\n");
  const html = page(
    subject,
    [
      `<p>${escapeHtml(intro)}</p>`,
      ...sections.map((section) => `<h2 style="font-size:16px">${escapeHtml(section.title)}</h2>${section.html}`),
      `<p><a href="${escapeHtml(meetingLink)}" style="display:inline-block;background:#1e40af;color:#fff;padding:8px 14px;border-radius:6px;text-decoration:none">Open meeting mode</a></p>`,
      `<p style="color:#64748b;font-size:12px">${escapeHtml(footer(reader, baseUrl))}</p>`,
    ].join(""),
  );
  const chat = [
    `*${subject}*`,
    ...brief.salesTrap.map((line) => `:warning: ${line}`),
    `${dealCount} deals to discuss; ${brief.expiringWaivers.length} waivers end by the meeting.`,
    `Meeting mode: ${meetingLink}`,
  ].join("\n");
  return { subject, text, html, chat };
}
