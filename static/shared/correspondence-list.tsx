/**
 * A list of health-authority letters (key, summary, authority and reference, received and
 * due dates, and the timeliness lozenge), as the readiness panel and the impact panel show
 * the letters linked to their issue.
 */
import { token } from '@atlaskit/tokens';
import type { PanelCorrespondence } from '../../src/contract/correspondence';
import { Lozenge } from './lozenge';
import { subtle } from './styles';
import { timelinessLozenge } from './timeliness';

export const CorrespondenceList = ({ items, label }: { items: readonly PanelCorrespondence[]; label: string }) => (
  <ul aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
    {items.map((c) => {
      const lozenge = timelinessLozenge(c.timeliness);
      return (
        <li
          key={c.key}
          data-testid="correspondence-item"
          style={{
            padding: `${token('space.050', '4px')} 0`,
            borderBottom: `1px solid ${token('color.border', '#091E4224')}`,
          }}
        >
          <strong>{c.key}</strong> {c.summary} <Lozenge appearance={lozenge.appearance}>{lozenge.text}</Lozenge>
          <div style={subtle}>
            {c.details ? (
              <>
                {c.details.authority} ({c.details.market}), ref. {c.details.reference}; received{' '}
                <time dateTime={c.details.receivedDate}>{c.details.receivedDate}</time>
                {c.details.responseDueDate ? (
                  <>
                    , response due <time dateTime={c.details.responseDueDate}>{c.details.responseDueDate}</time>
                  </>
                ) : null}
                ; {c.status.name}
              </>
            ) : (
              <>{c.status.name}; the letter has no authority, reference or dates recorded</>
            )}
          </div>
        </li>
      );
    })}
  </ul>
);
