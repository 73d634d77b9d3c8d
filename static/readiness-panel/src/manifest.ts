/**
 * The evidence packet's manifest as a file the receiver can check with standard tools:
 * `sha256sum -c evidence-packet-RIM-1.csv.sha256` (`<digest>  <name>` per line). The packet
 * digest itself is inside the JSON and HTML renderings.
 */
import type { EvidencePacketFile } from '../../../src/contract/resolvers';

export const manifestFile = (file: EvidencePacketFile): { filename: string; mediaType: string; content: string } => ({
  filename: `${file.filename}.sha256`,
  mediaType: 'text/plain;charset=utf-8',
  content: file.manifest.files.map((f) => `${f.sha256}  ${f.name}\n`).join(''),
});
