/**
 * The traceability index on the admin page: whether it has been built, the latest rebuild or
 * check with its progress (it runs in chunks on the app's queue, so the page polls while it
 * runs), the differences a check found, and the buttons to start either.
 */
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';
import { useCallback, useEffect, useState } from 'react';
import type { Envelope } from '../../../src/contract/envelope';
import type { IndexAdminStatus, IndexRun } from '../../../src/contract/traceability';
import { api } from './api';

const POLL_MS = 2000;

const heading: CSSProperties = {
  font: token('font.heading.medium', 'normal 653 20px/24px system-ui, sans-serif'),
  margin: `${token('space.300', '24px')} 0 ${token('space.100', '8px')}`,
};
const subtle: CSSProperties = { color: token('color.text.subtle', '#44546F') };

const when = (iso: string | undefined): string => (iso === undefined ? '—' : new Date(iso).toLocaleString());

const RunDetails = ({ run }: { run: IndexRun }) => (
  <div data-testid="index-run">
    <p role="status">
      {run.mode === 'rebuild' ? 'Rebuild' : 'Check against Jira'}:{' '}
      <strong>{run.phase === 'running' ? 'running' : run.phase === 'done' ? 'finished' : 'failed'}</strong>,{' '}
      {run.processed} issues read in {run.chunks} {run.chunks === 1 ? 'chunk' : 'chunks'}.{' '}
      <span style={subtle}>
        Started {when(run.startedAt)}
        {run.finishedAt ? `, finished ${when(run.finishedAt)}` : ''}.
      </span>
      {run.mode === 'rebuild' && run.removed !== undefined
        ? ` ${run.removed} entries of issues Jira no longer has were removed.`
        : ''}
    </p>
    {run.error && (
      <SectionMessage appearance="error" title="The run stopped">
        <p>{run.error}</p>
      </SectionMessage>
    )}
    {run.mode === 'check' &&
      run.phase === 'done' &&
      run.differenceCounts &&
      run.differences &&
      (run.differenceCounts.missing + run.differenceCounts.stale + run.differenceCounts.extra === 0 ? (
        <SectionMessage appearance="success" title="The index agrees with Jira">
          <p>Every QMS record, Submission and Commitment in Jira has its entry, and every entry matches.</p>
        </SectionMessage>
      ) : (
        <SectionMessage appearance="warning" title="The index differs from Jira">
          <ul>
            <li>
              Missing from the index: {run.differenceCounts.missing} {run.differences.missing.join(', ')}
            </li>
            <li>
              Out of date: {run.differenceCounts.stale} {run.differences.stale.join(', ')}
            </li>
            <li>
              No longer in Jira: {run.differenceCounts.extra} {run.differences.extra.join(', ')}
            </li>
          </ul>
          <p>A rebuild mends all of them.</p>
        </SectionMessage>
      ))}
  </div>
);

export const IndexBackfill = () => {
  const [answer, setAnswer] = useState<Envelope<IndexAdminStatus> | undefined>();
  const [starting, setStarting] = useState(false);

  const refresh = useCallback(async () => setAnswer(await api.getIndexStatus()), []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const running = answer?.ok === true && answer.data.run?.phase === 'running';
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, refresh]);

  const start = async (mode: IndexRun['mode']): Promise<void> => {
    setStarting(true);
    setAnswer(await (mode === 'rebuild' ? api.rebuildIndex() : api.checkIndex()));
    setStarting(false);
  };

  return (
    <section aria-labelledby="index-heading">
      <h2 id="index-heading" style={heading}>
        Traceability index
      </h2>
      <p style={subtle}>
        The Confluence traceability macro answers from this index, which the app keeps current on every Jira change.
        Build it once from the existing data (it runs in the background, in chunks), and check it against Jira whenever
        you want proof that the two agree.
      </p>
      {answer === undefined ? (
        <p role="status">Loading the index status…</p>
      ) : !answer.ok ? (
        <SectionMessage appearance="error" title="The index status could not be loaded">
          <p>
            {answer.error.message} ({answer.error.code})
          </p>
        </SectionMessage>
      ) : (
        <>
          <p data-testid="index-state">
            {answer.data.index.state === 'empty'
              ? 'Not built from existing data yet.'
              : answer.data.index.state === 'building'
                ? 'Being rebuilt.'
                : `Built from Jira on ${when(answer.data.index.builtAt)}, kept current since.`}
          </p>
          {answer.data.run && <RunDetails run={answer.data.run} />}
        </>
      )}
      <div style={{ display: 'flex', gap: token('space.100', '8px') }}>
        <Button appearance="primary" isDisabled={starting || running} onClick={() => void start('rebuild')}>
          Rebuild index
        </Button>
        <Button isDisabled={starting || running} onClick={() => void start('check')}>
          Check against Jira
        </Button>
      </div>
    </section>
  );
};
