import { view } from '@forge/bridge';
import type { ReactNode } from 'react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

/** Renders a surface into #root with the host's light or dark design tokens. */
export const mountSurface = (surface: ReactNode): void => {
  const root = document.getElementById('root');
  if (!root) return;
  // The surface still renders if theming fails.
  void view.theme.enable().catch(() => undefined);
  createRoot(root).render(<StrictMode>{surface}</StrictMode>);
};
