/**
 * Atlassian's design-token stylesheets from @atlaskit/tokens, as the Jira host applies them
 * to a Custom UI iframe once it calls `view.theme.enable()`: the light and dark colour themes
 * (chosen by `html[data-color-mode]`) and the spacing, typography and shape themes, plus the
 * page surface a Jira iframe sits on.
 */
import { z } from 'zod';

const THEMES = [
  'atlassian-light',
  'atlassian-dark',
  'atlassian-spacing',
  'atlassian-typography',
  'atlassian-shape',
] as const;

const ThemeModule = z.looseObject({ default: z.string() });

/** The surface and text colour of the document, from the tokens (Jira paints its panels the same way). */
const SURFACE =
  'html[data-color-mode], html[data-color-mode] body { background-color: var(--ds-surface, #FFFFFF); color: var(--ds-text, #172B4D); }\n';

let cached: string | undefined;

export const tokensCss = (): string => {
  cached ??=
    THEMES.map((theme) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module: unknown = require(`@atlaskit/tokens/dist/cjs/artifacts/themes/${theme}`);
      return ThemeModule.parse(module).default;
    }).join('\n') + SURFACE;
  return cached;
};

/** The value of `data-theme` that enables every theme above. */
export const DATA_THEME = 'dark:dark light:light spacing:spacing typography:typography shape:shape';
