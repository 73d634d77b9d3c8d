/** A glance's body: one lozenge and a line under it, or a loading line while `glance` is undefined. */
import { token } from '@atlaskit/tokens';
import type { GlanceContent } from './appearance';
import { Lozenge } from './lozenge';

export const GlanceView = ({ glance, loading }: { glance: GlanceContent | undefined; loading: string }) => (
  <main
    style={{
      color: token('color.text', '#172B4D'),
      font: token('font.body', 'normal 400 14px/20px system-ui, sans-serif'),
      padding: token('space.100', '8px'),
    }}
    aria-busy={glance === undefined}
  >
    {glance === undefined ? (
      <p role="status">{loading}</p>
    ) : (
      <>
        <p>
          <span data-testid="glance-lozenge">
            <Lozenge appearance={glance.appearance}>{glance.lozenge}</Lozenge>
          </span>
        </p>
        <p style={{ color: token('color.text.subtle', '#44546F') }}>{glance.detail}</p>
      </>
    )}
  </main>
);
