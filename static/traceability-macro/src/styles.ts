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
export const row: CSSProperties = {
  display: 'flex',
  flexWrap: 'wrap',
  gap: token('space.200', '16px'),
  alignItems: 'flex-end',
};
export const field: CSSProperties = {
  display: 'flex',
  flexDirection: 'column',
  gap: token('space.050', '4px'),
  minWidth: '220px',
};
