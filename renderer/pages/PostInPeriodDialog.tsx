import { Dialog, DialogBody, DialogContent, DialogSurface, DialogTitle, Text } from '@fluentui/react-components';
import type { FailureGroup } from '../../shared/api';
import { ConfirmActions } from './ConfirmActions';

// "Post in 2026-12": the confirmation before Ferry books a record of a closed period in the open one. It says
// in plain words what changes (the accounting date) and what does not (the record's own date), and the other
// way out (reopen the period in CloudSuite, then Retry), because moving money between periods is a person's call.

type FailureRow = FailureGroup['failures'][number];

const day = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const shown = (iso: string): string => day.format(new Date(`${iso}T00:00:00Z`));

/** What the record becomes in CloudSuite, and the name of the date that moves there. */
const words: Record<string, { record: string; date: string; own: string }> = {
  'invoice-to-cloudsuite': { record: 'voucher', date: 'GL (distribution) date', own: 'invoice date' },
  'worklog-to-gl': { record: 'journal', date: 'journal date', own: 'period of the hours' },
};

export function PostInPeriodDialog({ open, failure, busy, onConfirm, onClose }: { open: boolean; failure: FailureRow; busy: boolean; onConfirm: () => void; onClose: () => void }) {
  const fix = failure.periodFix!;
  const w = words[failure.flow] ?? { record: 'record', date: 'accounting date', own: 'own date' };
  return (
    <Dialog open={open} modalType="modal" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>
            Post {failure.sourceKey} in period {fix.openPeriod}?
          </DialogTitle>
          <DialogContent>
            <Text as="p" block>
              Its own period, {fix.closedPeriod}, is closed in CloudSuite, so it cannot be posted there. Ferry can post it in the open period {fix.openPeriod} instead.
            </Text>
            <ul>
              <li>
                The {w.record}&apos;s {w.date} becomes <strong>{shown(fix.postingDate)}</strong> (period {fix.openPeriod}).
              </li>
              <li>
                The {w.own} stays <strong>{shown(fix.recordDate)}</strong>; amounts and coding do not change.
              </li>
              <li>Your choice is kept in the audit trail, and Ferry posts the record right away.</li>
            </ul>
            <Text as="p" block>
              If it must be booked in {fix.closedPeriod}, cancel, ask for period {fix.closedPeriod} to be reopened in CloudSuite, then press Retry.
            </Text>
          </DialogContent>
          <ConfirmActions label={`Post in ${fix.openPeriod}`} onConfirm={onConfirm} onCancel={onClose} busy={busy} />
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
