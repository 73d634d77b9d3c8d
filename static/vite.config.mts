// Shared by every surface (scripts/build-static.ts passes it). Atlassian's design-token
// themes and components make chunks of about 1 MB; Forge serves them as static files, so
// Vite's 500 kB advice does not apply.
import { defineConfig } from 'vite';

export default defineConfig({ build: { chunkSizeWarningLimit: 2048 } });
