/**
 * The health-authority correspondence this QMS record answers, in the "Regulatory impact"
 * panel. Its own call (`impact/correspondence`), so the rest of the panel never waits for
 * it. A viewer who may not browse the RIM project gets an empty list and sees nothing here.
 */
import type { PanelCorrespondence } from '../../../src/contract/correspondence';
import type { Envelope } from '../../../src/contract/envelope';
import { CorrespondenceList } from '../../shared/correspondence-list';
import { heading } from '../../shared/styles';
import { useAnswer } from '../../shared/use-answer';
import { loadRecordCorrespondence } from './correspondence-api';

export const CorrespondenceView = ({ answer }: { answer: Envelope<PanelCorrespondence[]> | undefined }) => {
  if (answer === undefined || (answer.ok && answer.data.length === 0)) return null;
  return (
    <section aria-labelledby="answers-heading">
      <h3 id="answers-heading" style={heading}>
        Health-authority correspondence this record answers
      </h3>
      {answer.ok ? (
        <CorrespondenceList items={answer.data} label="Correspondence this record answers" />
      ) : (
        <p role="alert">{answer.error.message}</p>
      )}
    </section>
  );
};

export const Correspondence = () => <CorrespondenceView answer={useAnswer(loadRecordCorrespondence)[0]} />;
