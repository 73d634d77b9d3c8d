import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import { useEffect, useState } from 'react';
import { Lozenge } from '../../shared/lozenge';
import type { Appearance } from '../../shared/lozenge';
import { mountSurface } from '../../shared/mount';
import type { ImpactStatus } from '../../../src/domain/model';
import { fieldEditApi } from './api';
import { fieldEditViewOf, STATUS_LABEL } from './field-edit';
import type { FieldEditView } from './field-edit';

const APPEARANCE: Record<ImpactStatus, Appearance> = {
  'not-assessed': 'default',
  'in-assessment': 'inprogress',
  'no-filing': 'success',
  'filing-required': 'moved',
};

type State =
  | { phase: 'loading' }
  | { phase: 'ready'; view: FieldEditView }
  | { phase: 'failed'; message: string }
  | { phase: 'submitting'; view: FieldEditView };

const ImpactFieldEdit = () => {
  const [state, setState] = useState<State>({ phase: 'loading' });
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const context = await fieldEditApi.context();
        const stored = await fieldEditApi.storedImpact(context.issueKey);
        if (live) setState({ phase: 'ready', view: fieldEditViewOf(context.fieldValue, stored) });
      } catch (error) {
        if (live)
          setState({
            phase: 'failed',
            message: error instanceof Error ? error.message : 'The record could not be read.',
          });
      }
    })();
    return () => {
      live = false;
    };
  }, []);

  const refresh = async (view: Extract<FieldEditView, { kind: 'out-of-step' }>) => {
    setState({ phase: 'submitting', view });
    try {
      await fieldEditApi.submit(view.refresh);
    } catch (error) {
      setState({ phase: 'failed', message: error instanceof Error ? error.message : 'Jira did not take the value.' });
    }
  };

  const view = state.phase === 'ready' || state.phase === 'submitting' ? state.view : undefined;
  return (
    <main
      style={{
        color: token('color.text', '#172B4D'),
        font: token('font.body', 'normal 400 14px/20px system-ui, sans-serif'),
        padding: token('space.100', '8px'),
      }}
      aria-busy={state.phase === 'loading'}
    >
      {state.phase === 'loading' && <p role="status">Reading the record's assessment…</p>}
      {state.phase === 'failed' && (
        <SectionMessage appearance="error" title="The field could not be shown">
          <p>{state.message}</p>
        </SectionMessage>
      )}
      {view?.kind === 'unreadable' && (
        <SectionMessage appearance="warning" title="Nothing to refresh">
          <p>{view.message}</p>
        </SectionMessage>
      )}
      {view?.kind === 'no-assessment' && <p>Nobody has assessed this record yet.</p>}
      {(view?.kind === 'in-step' || view?.kind === 'out-of-step') && (
        <section aria-label="Recorded regulatory impact">
          <p>
            <Lozenge appearance={APPEARANCE[view.status]}>{STATUS_LABEL[view.status]}</Lozenge>
          </p>
          {view.decidedByMarket.length > 0 ? (
            <ul aria-label="Decided categories per market">
              {view.decidedByMarket.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : (
            <p style={{ color: token('color.text.subtle', '#44546F') }}>No category decided yet.</p>
          )}
        </section>
      )}
      <SectionMessage appearance="information" title="Changed in the Regulatory impact panel">
        <p>
          The assessment is changed, and each decision is signed, in the Regulatory impact panel on this issue. This
          field shows what the panel recorded.
        </p>
      </SectionMessage>
      <div style={{ display: 'flex', gap: token('space.100', '8px'), marginTop: token('space.150', '12px') }}>
        {view?.kind === 'out-of-step' && (
          <Button appearance="primary" isDisabled={state.phase === 'submitting'} onClick={() => void refresh(view)}>
            Refresh from the assessment
          </Button>
        )}
        <Button onClick={() => void fieldEditApi.close()}>Close</Button>
      </div>
    </main>
  );
};

mountSurface(<ImpactFieldEdit />);
