/**
 * The inline styles the panels share, all from Atlassian's design tokens so light and dark
 * themes follow: body text, subtle text, a table cell, a section heading.
 */
import { token } from '@atlaskit/tokens';
import type { CSSProperties } from 'react';

export const text: CSSProperties = {
  color: token('color.text', '#172B4D'),
  font: token('font.body', 'normal 400 14px/20px system-ui, sans-serif'),
};
export const subtle: CSSProperties = { color: token('color.text.subtle', '#44546F') };
export const cell: CSSProperties = {
  textAlign: 'left',
  verticalAlign: 'top',
  padding: `${token('space.050', '4px')} ${token('space.100', '8px')}`,
  borderBottom: `1px solid ${token('color.border', '#091E4224')}`,
};
export const heading: CSSProperties = {
  font: token('font.heading.small', 'normal 653 16px/20px system-ui, sans-serif'),
  margin: `${token('space.200', '16px')} 0 ${token('space.100', '8px')}`,
};
