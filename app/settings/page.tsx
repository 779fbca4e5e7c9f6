import type { Metadata } from "next";
import Link from "next/link";
import { NoOrganisationYet, noViewer } from "@/components/overview/no-deals";
import { SettingsBacktest } from "@/components/backtest/settings-backtest";
import { AsOfForm } from "@/components/settings/as-of-form";
import { QuotasForm } from "@/components/settings/quotas-form";
import { ReviewScheduleForm } from "@/components/settings/review-schedule-form";
import { RuleSettingsForm } from "@/components/settings/rule-settings-form";
import { StagesForm } from "@/components/settings/stages-form";
import { TeamThresholdsSection } from "@/components/settings/team-thresholds-form";
import { AppShell } from "@/components/shell/app-shell";
import { EmptyState } from "@/components/ui/empty-state";
import { getViewer } from "@/lib/auth/viewer";
import { getBacktestForViewer } from "@/lib/backtest/data";
import { formatDate } from "@/lib/format";
import { getReviewSchedule } from "@/lib/schedule/data";
import { getOrgContext, getSettingsPage } from "@/lib/settings/data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const day = (date: Date) => date.toISOString().slice(0, 10);

export default async function SettingsPage({ searchParams }: { searchParams: SearchParams }) {
  const [viewer, org, params] = await Promise.all([getViewer().catch(noViewer), getOrgContext(), searchParams]);
  if (!viewer) return <NoOrganisationYet />;
  const periodStart = typeof params.period === "string" ? params.period : undefined;
  const settings = await getSettingsPage(viewer, { asOf: org.asOf, periodStart });
  const { canEditOrganisation, canEditQuotas } = settings;
  const schedule = await getReviewSchedule();
  // The back-test beside the thresholds (managers and admins); a failure there must not take the settings down.
  const backtest =
    viewer.role === "rep" || (viewer.role === "manager" && !viewer.teamId)
      ? undefined
      : await getBacktestForViewer(viewer).catch((error: unknown) => {
          console.error("Back-test on the settings page failed:", error);
          return null;
        });

  return (
    <AppShell viewer={viewer} asOf={org.asOf} asOfFixed={org.asOfFixed} orgName={org.name}>
      <div className="mb-6">
        <h1 className="text-2xl font-semibold">Settings</h1>
        <p className="text-sm text-slate-600">
          Rule thresholds, stages, quotas and the date the data is read as of.{" "}
          {canEditOrganisation
            ? "Every change is recorded with who made it, before and after, and shown on the audit trail of every team it affects."
            : canEditQuotas
              ? "The organisation's thresholds, stages and the as-of date are set by an administrator; you see what is in force. You set your own team's thresholds and quotas."
              : "An administrator changes them (your manager sets quotas); you can see what is in force."}
        </p>
        <nav aria-label="Settings sections" className="mt-3 flex flex-wrap gap-4 text-sm">
          {[
            ["#rules", "Rule thresholds"],
            ...(settings.teamThresholds.length > 0 ? [["#team-rules", "Team thresholds"]] : []),
            ["#stages", "Stages"],
            ["#quotas", "Quotas"],
            ["#as-of", "As-of date"],
            ...(viewer.role === "admin" ? [["/settings/messages", "Weekly messages"]] : []),
            ["/account", "My messages"],
          ].map(([href, label]) => (
            <a key={href} href={href} className="text-blue-800 underline-offset-2 hover:underline">
              {label}
            </a>
          ))}
        </nav>
      </div>

      <section id="rules" aria-labelledby="rules-title" className="mb-10 scroll-mt-4">
        <h2 id="rules-title" className="text-lg font-semibold">
          Rule thresholds
        </h2>
        <p id="rules-intro" className="mb-4 text-sm text-slate-600">
          {canEditOrganisation
            ? "Change a value to see, before saving, how many deals the rules would flag on today's data — counted by the same engine as a review."
            : "The thresholds the stale-deal rules use."}
        </p>
        <RuleSettingsForm saved={settings.rules} canEdit={canEditOrganisation} currency={org.currency} />
        {backtest !== undefined ? <SettingsBacktest backtest={backtest} /> : null}
      </section>

      {settings.teamThresholds.length > 0 ? (
        <section id="team-rules" aria-labelledby="team-rules-title" className="mb-10 scroll-mt-4">
          <h2 id="team-rules-title" className="text-lg font-semibold">
            Team thresholds
          </h2>
          <p className="mb-4 text-sm text-slate-600">
            A team can judge its deals with its own thresholds where its cycles differ; an empty field follows the
            organisation default. Explanations and the preview say which level applied. The next review uses them.
          </p>
          <TeamThresholdsSection teams={settings.teamThresholds} orgDefaults={settings.rules} currency={org.currency} />
        </section>
      ) : null}

      <section id="stages" aria-labelledby="stages-title" className="mb-10 scroll-mt-4">
        <h2 id="stages-title" className="mb-3 text-lg font-semibold">
          Stages
        </h2>
        {settings.stages.length === 0 ? (
          <EmptyState title="No stages yet">
            Stages come with your first import (or the demo organisation: <code>npm run db:seed</code>).
          </EmptyState>
        ) : (
          <StagesForm
            stages={settings.stages}
            canEdit={canEditOrganisation}
            openDealsLabel={
              viewer.role === "admin"
                ? "Open deals"
                : viewer.role === "manager"
                  ? "Your team's open deals"
                  : "Your open deals"
            }
          />
        )}
      </section>

      <section id="quotas" aria-labelledby="quotas-title" className="mb-10 scroll-mt-4">
        <h2 id="quotas-title" className="text-lg font-semibold">
          Quotas
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          Coverage on the team overview compares the open pipeline with each rep's quota for the period holding the
          as-of date, less what they won in it.
        </p>
        {settings.periods.length > 0 ? (
          <nav aria-label="Quota periods" className="mb-3 flex flex-wrap items-center gap-2 text-sm">
            <span className="text-slate-600">Periods with quotas:</span>
            {settings.periods.map((period) => {
              const current = day(period.start) === day(settings.period.start);
              return (
                <Link
                  key={day(period.start)}
                  href={`/settings?period=${day(period.start)}#quotas`}
                  aria-current={current ? "page" : undefined}
                  className={`rounded px-2 py-0.5 ring-1 ring-inset ${current ? "bg-blue-700 text-white ring-blue-700" : "bg-white text-slate-800 ring-slate-300 hover:bg-slate-50"}`}
                >
                  {formatDate(period.start)} – {formatDate(period.end)}
                </Link>
              );
            })}
          </nav>
        ) : null}
        <QuotasForm
          key={day(settings.period.start)}
          quotas={settings.quotas}
          periodStart={day(settings.period.start)}
          periodEnd={day(settings.period.end)}
          currency={org.currency}
          canEdit={canEditQuotas}
          showTeam={viewer.role === "admin"}
        />
      </section>

      <section id="as-of" aria-labelledby="as-of-title" className="mb-10 scroll-mt-4">
        <h2 id="as-of-title" className="mb-3 text-lg font-semibold">
          As-of date
        </h2>
        <AsOfForm
          fixedDay={settings.fixedAsOf ? day(settings.fixedAsOf) : null}
          today={day(new Date())}
          canEdit={canEditOrganisation}
        />
      </section>

      <section id="daily-review" aria-labelledby="daily-review-title" className="mb-10 scroll-mt-4">
        <h2 id="daily-review-title" className="mb-3 text-lg font-semibold">
          Daily review
        </h2>
        <ReviewScheduleForm
          reviewTime={schedule.reviewTime}
          timeZone={schedule.timeZone}
          timeZones={Intl.supportedValuesOf("timeZone")}
          lastRun={
            schedule.lastRun
              ? `Last daily run: ${formatDate(schedule.lastRun.day)}${schedule.lastRun.error ? ` — failed: ${schedule.lastRun.error}` : schedule.lastRun.finishedAt ? "" : " (running)"}.`
              : "It has not run by itself yet."
          }
          canEdit={canEditOrganisation}
        />
      </section>
    </AppShell>
  );
}
