/**
 * `npm run build`: builds every Custom UI surface under static/ (each folder with an
 * index.html) into static/<surface>/build, with relative asset paths so Forge (and the
 * sandbox host) can serve it from any path. Runs Vite's own CLI, one surface at a time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const staticDir = join(root, 'static');
const vite = join(root, 'node_modules', '.bin', 'vite');

const surfaces = readdirSync(staticDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(staticDir, entry.name, 'index.html')))
  .map((entry) => entry.name)
  .sort();

for (const surface of surfaces) {
  const result = spawnSync(
    vite,
    [
      'build',
      join('static', surface),
      '--config',
      join('static', 'vite.config.mts'),
      '--base',
      './',
      '--outDir',
      'build',
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    console.error(`building static/${surface} failed`);
    process.exit(result.status ?? 1);
  }
}
console.log(`built ${surfaces.length} Custom UI surface(s): ${surfaces.join(', ')}`);
