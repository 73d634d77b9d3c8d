/**
 * One bundle for both of the macro's faces: Confluence opens it as the configuration dialog
 * (`extension.macro.isConfiguring`) or as the view on the page.
 */
import Spinner from '@atlaskit/spinner';
import { useEffect, useState } from 'react';
import { readMacroContext } from './api';
import type { MacroContext } from './api';
import { ConfigView } from './ConfigView';
import { TraceabilityMain } from './TraceabilityPage';

export const App = () => {
  const [context, setContext] = useState<MacroContext | undefined>();
  useEffect(() => {
    void readMacroContext()
      .catch((): MacroContext => ({ configuring: false, config: undefined }))
      .then(setContext);
  }, []);
  if (context === undefined) {
    return (
      <main aria-busy="true">
        <Spinner label="Loading" />
      </main>
    );
  }
  return context.configuring ? <ConfigView initial={context.config ?? {}} /> : <TraceabilityMain />;
};
