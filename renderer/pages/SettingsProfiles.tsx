import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import { PROFILE_NAME, type AppSettings, type FerryApi } from '../../shared/api';
import { desktopBridge } from '../../shared/desktop';
import { afterModalReleased } from '../dialog-release';
import { navigate, PROFILE_OPENED } from '../route';

// Settings → Profiles and Data folder. A profile is one CloudSuite tenant with its JAGGAER and Jira (TST, PRD),
// each in its own encrypted database; one is open at a time and its schedules run. Opening another closes the
// open one after its runs finish. The data folder holds every profile; moving it copies, checks and then
// deletes the old copy, so a failed move leaves everything where it was.

type Message = { ok: boolean; text: string } | null;

const formatBytes = (n: number) => new Intl.NumberFormat(undefined, { style: 'unit', unit: n >= 1e6 ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(n >= 1e6 ? n / 1e6 : n / 1e3);

function Problem({ text }: { text: string | null }) {
  return text ? (
    <MessageBar intent="error">
      <MessageBarBody>{text}</MessageBarBody>
    </MessageBar>
  ) : null;
}

function NewProfileDialog({ api, onDone, onCancel }: { api: FerryApi; onDone(): void; onCancel(): void }) {
  const [name, setName] = useState('');
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const nameProblem = name.trim() && !PROFILE_NAME.test(name.trim()) ? 'Use letters, digits, "-" or "_" (up to 40), for example TST or PRD.' : null;
  const create = async () => {
    setBusy(true);
    const res = await api.openProfile({ name: name.trim(), create: true, ...(label.trim() ? { label: label.trim() } : {}) });
    setBusy(false);
    if (!res.ok) return setProblem(res.error.message);
    onDone();
  };
  return (
    <Dialog open modalType="modal" onOpenChange={(_e, d) => !d.open && !busy && onCancel()}>
      <DialogSurface aria-label="New profile">
        <DialogBody>
          <DialogTitle>New profile</DialogTitle>
          <DialogContent className="stack">
            <Text>A new, empty profile with its own encrypted database, for example a test tenant beside production. Ferry opens it and starts the Setup wizard.</Text>
            <Field label="Short name (folder name)" validationState={nameProblem ? 'error' : 'none'} validationMessage={nameProblem ?? undefined} required>
              <Input value={name} onChange={(_e, d) => setName(d.value)} placeholder="TST" aria-label="New profile short name" />
            </Field>
            <Field label="Name shown in the window">
              <Input value={label} onChange={(_e, d) => setLabel(d.value)} placeholder="Test" aria-label="New profile display name" />
            </Field>
            <Problem text={problem} />
          </DialogContent>
          <DialogActions>
            {/* disabledFocusable while busy: focus stays in the dialog instead of falling to the page behind it. */}
            <Button onClick={onCancel} disabledFocusable={busy}>
              Cancel
            </Button>
            <Button appearance="primary" disabledFocusable={busy} disabled={!busy && (!name.trim() || nameProblem !== null)} onClick={() => void create()}>
              {busy ? <Spinner size="tiny" label="Creating…" /> : 'Create and open'}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function MoveDialog({ api, s, onDone, onCancel }: { api: FerryApi; s: AppSettings; onDone(text: string): void; onCancel(): void }) {
  const bridge = desktopBridge();
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const browse = async () => {
    const res = await bridge?.chooseFolder();
    if (res?.ok && res.value) setTo(res.value);
  };
  const move = async () => {
    setBusy(true);
    setProblem(null);
    const res = await api.moveDataFolder({ to });
    setBusy(false);
    if (!res.ok) return setProblem(res.error.message);
    const { dataDir, files, bytes, leftBehind } = res.value;
    onDone(
      `Moved ${files} files (${formatBytes(bytes)}) to ${dataDir}; Ferry uses it from now on.` +
        (leftBehind.length ? ` Some of the old copy could not be deleted (${leftBehind.join(', ')}); delete it yourself once Ferry is closed.` : ''),
    );
  };
  return (
    <Dialog open modalType="modal" onOpenChange={(_e, d) => !d.open && !busy && onCancel()}>
      <DialogSurface aria-label="Move the data folder">
        <DialogBody>
          <DialogTitle>Move the data folder</DialogTitle>
          <DialogContent className="stack">
            <Text>
              Every profile moves from {s.dataDir} to the folder below, which must be empty or new. Runs in progress finish first and schedules pause while the files are
              copied; each copy is checked before the old one is deleted. Logs stay in the old folder.
            </Text>
            <div className="row">
              <Field label="New data folder (full path)" required>
                <Input value={to} onChange={(_e, d) => setTo(d.value)} placeholder={navigator.platform.startsWith('Win') ? 'D:\\Ferry' : '/srv/ferry'} aria-label="New data folder" disabled={busy} />
              </Field>
              {bridge && (
                <Button onClick={() => void browse()} disabled={busy}>
                  Browse…
                </Button>
              )}
            </div>
            {busy && <Spinner label="Copying and checking the data… keep Ferry open." />}
            <Problem text={problem} />
          </DialogContent>
          <DialogActions>
            <Button onClick={onCancel} disabledFocusable={busy}>
              Cancel
            </Button>
            <Button appearance="primary" disabledFocusable={busy} disabled={!busy && !to.trim()} onClick={() => void move()}>
              Move
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** The list of profiles, "New profile", and the data folder with "Move…". */
export function ProfilesSection({ api, s, onMoved }: { api: FerryApi; s: AppSettings; onMoved(): void }) {
  const [dialog, setDialog] = useState<'new' | 'move' | null>(null);
  const [opening, setOpening] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const open = async (name: string) => {
    setOpening(name);
    const res = await api.openProfile({ name, create: false });
    setOpening(null);
    if (!res.ok) return setMessage({ ok: false, text: res.error.message });
    navigate('dashboard');
    window.dispatchEvent(new Event(PROFILE_OPENED));
  };
  return (
    <section className="settings-section" aria-label="Profiles">
      <h2>Profiles</h2>
      <Text className="muted">One profile per CloudSuite tenant (for example TST and PRD), each in its own encrypted database. The open one runs its schedules.</Text>
      <Table aria-label="Profiles" size="small" className="profiles-table">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Profile</TableHeaderCell>
            <TableHeaderCell>Name shown</TableHeaderCell>
            <TableHeaderCell />
          </TableRow>
        </TableHeader>
        <TableBody>
          {s.profiles.map((p) => (
            <TableRow key={p.name} aria-label={`Profile ${p.name}`}>
              <TableCell>{p.name}</TableCell>
              <TableCell>{p.label ?? '—'}</TableCell>
              <TableCell>
                {p.name === s.profile ? (
                  <Text weight="semibold">Open now</Text>
                ) : (
                  <Button size="small" disabled={opening !== null} onClick={() => void open(p.name)}>
                    {opening === p.name ? <Spinner size="tiny" label="Opening… (a run in progress finishes first)" /> : `Open ${p.name}`}
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <div className="row">
        <Button onClick={() => setDialog('new')}>New profile…</Button>
      </div>
      {message && (
        <MessageBar intent={message.ok ? 'success' : 'error'}>
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      )}
      <h3>Data folder</h3>
      <Text>
        <span aria-label="Data folder">{s.dataDir}</span>
      </Text>
      {s.dataDirLocked ? (
        <Text className="muted">{s.dataDirLocked}</Text>
      ) : (
        <div className="row">
          <Button onClick={() => setDialog('move')}>Move data folder…</Button>
        </div>
      )}
      {dialog === 'new' && (
        <NewProfileDialog
          api={api}
          onCancel={() => setDialog(null)}
          onDone={() => {
            // A new profile has nothing connected: every page remounts on it, starting with the Setup wizard.
            setDialog(null);
            afterModalReleased(() => {
              navigate('setup');
              window.dispatchEvent(new Event(PROFILE_OPENED));
            });
          }}
        />
      )}
      {dialog === 'move' && (
        <MoveDialog
          api={api}
          s={s}
          onCancel={() => setDialog(null)}
          onDone={(text) => {
            setDialog(null);
            setMessage({ ok: true, text });
            onMoved();
          }}
        />
      )}
    </section>
  );
}
