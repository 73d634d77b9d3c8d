/** The panel's few layout styles, every colour and space a design token so light and dark themes both read. */
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
  padding: `${token('space.075', '6px')} ${token('space.100', '8px')}`,
  borderBottom: `1px solid ${token('color.border', '#091E4224')}`,
};
export const section: CSSProperties = { marginTop: token('space.300', '24px') };
export const stack: CSSProperties = { display: 'flex', flexDirection: 'column', gap: token('space.100', '8px') };
export const row: CSSProperties = {
  display: 'flex',
  flexWrap: 'wrap',
  gap: token('space.100', '8px'),
  alignItems: 'center',
};
export const card: CSSProperties = {
  ...stack,
  border: `1px solid ${token('color.border', '#091E4224')}`,
  borderRadius: token('radius.medium', '6px'),
  padding: token('space.150', '12px'),
  background: token('elevation.surface.raised', '#FFFFFF'),
};
export const fieldset: CSSProperties = { border: 'none', margin: 0, padding: 0, minWidth: 0 };
export const legend: CSSProperties = {
  font: token('font.body', 'normal 600 14px/20px system-ui, sans-serif'),
  fontWeight: 600,
  padding: 0,
  marginBottom: token('space.050', '4px'),
};
export const label: CSSProperties = {
  font: token('font.body.small', 'normal 600 12px/16px system-ui, sans-serif'),
  fontWeight: 600,
  color: token('color.text.subtle', '#44546F'),
};
