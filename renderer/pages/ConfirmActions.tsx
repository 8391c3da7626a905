import { Button, DialogActions } from '@fluentui/react-components';
import type { ReactNode } from 'react';

// The buttons of a dialog that asks a person to confirm one action: the action first, then Cancel, both
// unavailable while the action runs.

export function ConfirmActions({ label, onConfirm, onCancel, busy }: { label: ReactNode; onConfirm: () => void; onCancel: () => void; busy: boolean }) {
  return (
    <DialogActions>
      <Button appearance="primary" onClick={onConfirm} disabled={busy}>
        {label}
      </Button>
      <Button onClick={onCancel} disabled={busy}>
        Cancel
      </Button>
    </DialogActions>
  );
}
