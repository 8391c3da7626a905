import { Button, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner } from '@fluentui/react-components';
import type { AuditVerification } from '../../shared/audit';
import { timeText } from './ActivityTable';

// The verification bar above the Activity table. A visit's check usually resumes from where the last one got to
// (seconds saved at a million events), so the bar says so, and since when the older events were last checked in
// full, and offers the whole-trail check that would also see an edit among them.

export type VerificationState = AuditVerification | { checking: 'resume' | 'full' } | { error: string };

interface Props {
  state: VerificationState;
  /** Check again: resumes when it can (`full` false) or hashes every kept event (`full` true). */
  onCheck(full: boolean): void;
  onShow(id: number): void;
}

// The page is a column of fixed height with the table taking the rest: the bar keeps the height its text needs.
const useStyles = makeStyles({ bar: { flexShrink: 0 } });

export function ActivityVerification({ state, onCheck, onShow }: Props) {
  const styles = useStyles();
  if ('checking' in state) {
    return (
      <MessageBar className={styles.bar} intent="info" icon={<Spinner size="extra-tiny" />} aria-label="Audit trail verification">
        <MessageBarBody>
          {state.checking === 'full'
            ? 'Checking the whole audit trail, every event from the first kept one: that none was changed or removed since it was written…'
            : 'Checking the audit trail: that no event was changed or removed since it was written…'}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if ('error' in state) {
    return (
      <MessageBar className={styles.bar} intent="warning">
        <MessageBarBody>The audit trail could not be checked: {state.error} Try again in a moment.</MessageBarBody>
        <MessageBarActions>
          <Button onClick={() => onCheck(false)}>Check again</Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
  const resumed = state.scope === 'resumed' && state.resumedAfter !== undefined ? state.resumedAfter : null;
  const wholeTrail = resumed && (
    <Button appearance={state.ok ? 'transparent' : 'secondary'} onClick={() => onCheck(true)}>
      Check the whole trail again
    </Button>
  );
  if (state.ok) {
    return (
      <MessageBar className={styles.bar} intent="success" aria-label="Audit trail verification" layout={resumed ? 'multiline' : 'auto'}>
        <MessageBarBody>
          {resumed ? (
            <>
              {state.checked === 0
                ? 'Audit trail verified: no new events since the last check, chain intact.'
                : `Audit trail verified: ${state.checked.toLocaleString()} new ${state.checked === 1 ? 'event' : 'events'} since the last check, chain intact.`}{' '}
              Continued from event #{resumed.id.toLocaleString()}, which the check of {timeText(resumed.verifiedAt)} found intact; the{' '}
              {resumed.checked.toLocaleString()} events up to it were last checked in full on {timeText(state.fullCheckAt ?? resumed.verifiedAt)}.
            </>
          ) : state.checked === 0 ? (
            'Audit trail verified: it is empty so far.'
          ) : (
            `Audit trail verified: ${state.checked.toLocaleString()} events, chain intact.`
          )}
        </MessageBarBody>
        <MessageBarActions>
          {wholeTrail}
          <Button appearance="transparent" onClick={() => onCheck(false)}>
            Check again
          </Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
  return (
    <MessageBar className={styles.bar} intent="error" aria-label="Audit trail verification" layout={resumed ? 'multiline' : 'auto'}>
      <MessageBarBody>
        <MessageBarTitle>The audit trail is broken.</MessageBarTitle>
        {state.message} Ferry keeps recording new events. Tell whoever looks after Ferry, and compare with an earlier export (its Hash column) to see what changed.
      </MessageBarBody>
      <MessageBarActions>
        {state.firstBadId !== null && <Button onClick={() => onShow(state.firstBadId!)}>Show event #{state.firstBadId.toLocaleString()}</Button>}
        {wholeTrail}
        <Button onClick={() => onCheck(false)}>Check again</Button>
      </MessageBarActions>
    </MessageBar>
  );
}
