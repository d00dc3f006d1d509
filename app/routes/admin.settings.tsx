import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { getDb } from '#db/client';
import { auditActor, requirePermission } from '~/auth/guards.server';
import { FormErrorSummary, RadiosField } from '~/components/form-fields';
import { SuccessBanner } from '~/components/notification-banner';
import { SubmitButton } from '~/components/submit-button';
import { DUE_SOON_DAYS, REPORTING_PERIOD_LABELS, REPORTING_PERIODS, RETURN_GRACE_DAYS, type ReportingPeriod } from '~/modules/returns/periods';
import { getReportingPeriod, setReportingPeriod } from '~/modules/settings/settings.server';
import { invalid, readForm } from '~/utils/form.server';

export const handle = { title: 'Settings' };

const PERIOD_MESSAGE = 'Select how often contractors report their progress';
const settingsSchema = z.object({
  reportingPeriod: z.enum(REPORTING_PERIODS as [ReportingPeriod, ...ReportingPeriod[]], { errorMap: () => ({ message: PERIOD_MESSAGE }) }),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, 'settings:manage');
  return {
    reportingPeriod: await getReportingPeriod(getDb()),
    saved: new URL(request.url).searchParams.get('saved') === 'reporting-period',
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requirePermission(request, 'settings:manage');
  const submission = parseWithZod(await readForm(request), { schema: settingsSchema });
  if (submission.status !== 'success') return invalid(submission.reply());
  const { reportingPeriod } = submission.value;
  await getDb().transaction().execute((tx) => setReportingPeriod(tx, reportingPeriod, auditActor(admin, context)));
  return redirect('/admin/settings?saved=reporting-period', 303);
}

export default function AdminSettings() {
  const { reportingPeriod, saved } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof settingsSchema>>({ id: 'settings', lastResult });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <FormErrorSummary form={form} fields={{ reportingPeriod: fields.reportingPeriod }} />
        {saved && !lastResult ? (
          <SuccessBanner heading={`Reporting period saved: contractors report ${periodName(reportingPeriod)}.`} headingElement="p" />
        ) : null}
        <h1 className="govuk-heading-l">Settings</h1>
        <h2 className="govuk-heading-m">Reporting period</h2>
        <p className="govuk-body">
          Contractors send a progress return for each commitment for every reporting period, from the start of its contract until the
          commitment’s due date. Periods follow the financial year from 1 April. A return is due {RETURN_GRACE_DAYS} days after its
          period ends. Contractors see it on their home page, and are emailed a reminder {DUE_SOON_DAYS} days before it is due and
          again if it becomes overdue.
        </p>
        <h3 className="govuk-heading-s">What a change does</h3>
        <ul className="govuk-list govuk-list--bullet">
          <li>From now on, returns are asked for in the new periods, on every active contract.</li>
          <li>Returns already made keep the periods they were made for. A period that a submitted or approved return already covers, even in part, is not asked for again.</li>
          <li>A period still without a return is asked for in the new periods: going from quarterly to monthly turns one missing quarterly return into three missing monthly ones.</li>
          <li>Contractors’ drafts stay as they are.</li>
        </ul>
        <Form method="post" {...getFormProps(form)} noValidate>
          <RadiosField
            field={fields.reportingPeriod}
            legend="How often do contractors report their progress?"
            options={REPORTING_PERIODS.map((p) => ({ value: p, label: REPORTING_PERIOD_LABELS[p] }))}
            defaultValue={reportingPeriod}
          />
          <SubmitButton>Save reporting period</SubmitButton>
        </Form>
        <h2 className="govuk-heading-m">Credit policy</h2>
        <p className="govuk-body">How much of a commitment swaps may meet, whether across themes, the uplift for priority wards, and whether credits expire.</p>
        <p className="govuk-body"><Link className="govuk-link" to="/admin/settings/credit-policy">Change the credit policy</Link></p>
      </div>
    </div>
  );
}

function periodName(period: ReportingPeriod): string {
  return { monthly: 'monthly', quarterly: 'quarterly', 'half-yearly': 'half-yearly', annual: 'yearly' }[period];
}
