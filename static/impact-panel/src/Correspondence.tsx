/**
 * The health-authority correspondence this QMS record answers, in the "Regulatory impact"
 * panel. Its own call (`impact/correspondence`), so the rest of the panel never waits for
 * it. A viewer who may not browse the RIM project gets an empty list and sees nothing here.
 */
import { token } from '@atlaskit/tokens';
import { useEffect, useState } from 'react';
import type { PanelCorrespondence } from '../../../src/contract/correspondence';
import type { Envelope } from '../../../src/contract/envelope';
import { CorrespondenceList } from '../../shared/correspondence-list';
import { loadRecordCorrespondence } from './correspondence-api';

export const CorrespondenceView = ({ answer }: { answer: Envelope<PanelCorrespondence[]> | undefined }) => {
  if (answer === undefined || (answer.ok && answer.data.length === 0)) return null;
  return (
    <section aria-labelledby="answers-heading">
      <h3 id="answers-heading" style={{ font: token('font.heading.small', 'normal 653 16px/20px system-ui, sans-serif'), margin: `${token('space.200', '16px')} 0 ${token('space.100', '8px')}` }}>
        Health-authority correspondence this record answers
      </h3>
      {answer.ok ? <CorrespondenceList items={answer.data} label="Correspondence this record answers" /> : <p role="alert">{answer.error.message}</p>}
    </section>
  );
};

export const Correspondence = () => {
  const [answer, setAnswer] = useState<Envelope<PanelCorrespondence[]> | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void loadRecordCorrespondence().then((a) => {
      if (live) setAnswer(a);
    });
    return () => {
      live = false;
    };
  }, []);
  return <CorrespondenceView answer={answer} />;
};
